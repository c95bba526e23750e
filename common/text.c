#include "config.h"

#include <string.h>
#include <sys/random.h>

#include "text.h"

/* Two-byte UTF-8 letters of Latin-1 (French first, then the others a name
 * may hold), and their folding. */
static const struct {
	const char *utf8;
	const char *ascii;
} folds[] = {
    {"à", "a"},	 {"â", "a"},  {"ä", "a"}, {"á", "a"}, {"ç", "c"},  {"é", "e"},	{"è", "e"},
    {"ê", "e"},	 {"ë", "e"},  {"î", "i"}, {"ï", "i"}, {"í", "i"},  {"ô", "o"},	{"ö", "o"},
    {"ó", "o"},	 {"ù", "u"},  {"û", "u"}, {"ü", "u"}, {"ú", "u"},  {"ÿ", "y"},	{"ñ", "n"},
    {"œ", "oe"}, {"æ", "ae"}, {"À", "a"}, {"Â", "a"}, {"Ä", "a"},  {"Ç", "c"},	{"É", "e"},
    {"È", "e"},	 {"Ê", "e"},  {"Ë", "e"}, {"Î", "i"}, {"Ï", "i"},  {"Ô", "o"},	{"Ö", "o"},
    {"Ù", "u"},	 {"Û", "u"},  {"Ü", "u"}, {"Ÿ", "y"}, {"Œ", "oe"}, {"Æ", "ae"}, {"ã", "a"},
    {"å", "a"},	 {"ì", "i"},  {"ò", "o"}, {"õ", "o"}, {"ø", "o"},  {"ý", "y"},	{"ß", "ss"},
    {"Á", "a"},	 {"Ã", "a"},  {"Å", "a"}, {"Ì", "i"}, {"Í", "i"},  {"Ò", "o"},	{"Ó", "o"},
    {"Õ", "o"},	 {"Ø", "o"},  {"Ú", "u"}, {"Ñ", "n"}, {"Ý", "y"},
};

void text_fold(const char *in, char *out, size_t n)
{
	size_t o = 0;
	bool space = true; /* drops leading spaces */
	while (*in && o + 3 < n) {
		unsigned char c = (unsigned char)*in;
		if (c == ' ' || c == '\t' || c == '-' || c == '\'') {
			/* "Jean-Marie" and "Jean Marie" are the same person */
			if (!space)
				out[o++] = ' ';
			space = true;
			in++;
			continue;
		}
		space = false;
		if (c < 0x80) {
			out[o++] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
			in++;
			continue;
		}
		bool folded = false;
		for (size_t i = 0; i < sizeof folds / sizeof folds[0] && !folded; i++) {
			size_t len = strlen(folds[i].utf8);
			if (strncmp(in, folds[i].utf8, len) == 0) {
				for (const char *a = folds[i].ascii; *a && o + 1 < n; a++)
					out[o++] = *a;
				in += len;
				folded = true;
			}
		}
		if (!folded)
			out[o++] = *in++;
	}
	while (o > 0 && out[o - 1] == ' ')
		o--;
	out[o] = '\0';
}

/* C0 and C1 controls (a C1 CSI, U+009B, drives a terminal like ESC [);
 * the bidirectional marks, overrides, embeddings and isolates (U+061C,
 * U+200E-U+200F, U+202A-U+202E, U+2066-U+2069), which make a name read
 * backwards in a list or a mail; the line and paragraph separators
 * (U+2028-U+2029), which break a line where none shows; and invisible
 * format characters nobody types in a name: the BOM (U+FEFF), the
 * interlinear annotations (U+FFF9-U+FFFB), non-characters (U+FFFE,
 * U+FFFF) and tags (U+E0000-U+E007F). */
bool text_has_control(const char *s, bool newlines_ok)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if ((*p < 0x20 && !(newlines_ok && (*p == '\n' || *p == '\t'))) || *p == 0x7F)
			return true;
		if ((p[0] == 0xC2 && p[1] >= 0x80 && p[1] <= 0x9F) ||
		    (p[0] == 0xD8 && p[1] == 0x9C))
			return true;
		if (p[0] == 0xE2 && ((p[1] == 0x80 && ((p[2] >= 0x8E && p[2] <= 0x8F) ||
						       (p[2] >= 0xA8 && p[2] <= 0xAE))) ||
				     (p[1] == 0x81 && p[2] >= 0xA6 && p[2] <= 0xA9)))
			return true;
		if (p[0] == 0xEF &&
		    ((p[1] == 0xBB && p[2] == 0xBF) || (p[1] == 0xBF && p[2] >= 0xB9)))
			return true;
		if (p[0] == 0xF3 && p[1] == 0xA0 && (p[2] == 0x80 || p[2] == 0x81))
			return true;
	}
	return false;
}

bool text_is_ascii(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s >= 0x80)
			return false;
	return true;
}

bool email_valid(const char *s)
{
	size_t len = strlen(s);
	const char *at = strchr(s, '@');
	if (len > 254 || !at || at == s || strchr(at + 1, '@') || (size_t)(at - s) > 64)
		return false;
	for (const char *p = s; *p; p++) {
		unsigned char c = (unsigned char)*p;
		/* no SMTPUTF8 here: a non-ASCII address could not be delivered */
		if (c <= ' ' || c >= 0x7F || c == '<' || c == '>' || c == ',' || c == ';' ||
		    c == '"' || c == '(' || c == ')' || c == '[' || c == ']' || c == '\\')
			return false;
	}
	const char *domain = at + 1;
	const char *dot = strrchr(domain, '.');
	if (!dot || dot == domain || !dot[1] || domain[0] == '.' || strstr(domain, ".."))
		return false;
	return s[0] != '.' && at[-1] != '.' && !strstr(s, "..");
}

void html_write(FILE *out, const char *s)
{
	/* a field an Atelier lacks writes nothing rather than crash a page */
	if (!s)
		return;
	for (; *s; s++) {
		switch (*s) {
		case '&':
			fputs("&amp;", out);
			break;
		case '<':
			fputs("&lt;", out);
			break;
		case '>':
			fputs("&gt;", out);
			break;
		case '"':
			fputs("&quot;", out);
			break;
		case '\'':
			fputs("&#39;", out);
			break;
		default:
			fputc(*s, out);
		}
	}
}

void utf8_clean(char *s)
{
	unsigned char *p = (unsigned char *)s;
	while (*p) {
		size_t len = *p < 0x80	       ? 1
			     : (*p >> 5) == 6  ? 2
			     : (*p >> 4) == 14 ? 3
			     : (*p >> 3) == 30 ? 4
					       : 0;
		bool ok = len > 0 && !(len == 2 && *p < 0xC2);
		for (size_t k = 1; ok && k < len; k++)
			ok = (p[k] & 0xC0) == 0x80;
		if (!ok) {
			*p++ = '?';
			continue;
		}
		p += len;
	}
}

void random_hex(char *out, size_t bytes)
{
	static const char digits[] = "0123456789abcdef";
	unsigned char raw[64];
	while (bytes > 0) {
		size_t want = bytes < sizeof raw ? bytes : sizeof raw, got = 0;
		while (got < want) {
			ssize_t n = getrandom(raw + got, want - got, 0);
			if (n > 0)
				got += (size_t)n;
		}
		for (size_t i = 0; i < want; i++) {
			*out++ = digits[raw[i] >> 4];
			*out++ = digits[raw[i] & 15];
		}
		bytes -= want;
	}
	*out = '\0';
}

void random_digits(char *out, size_t n)
{
	while (n > 0) {
		unsigned char raw;
		if (getrandom(&raw, 1, 0) == 1 && raw < 250) { /* 250: no digit weighs more */
			*out++ = (char)('0' + raw % 10);
			n--;
		}
	}
	*out = '\0';
}

const char *json_str(json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

long long json_int(json_t *o, const char *key)
{
	return json_integer_value(json_object_get(o, key));
}

json_t *json_with(json_t *o, const char *key, json_t *value)
{
	if (!o || !value) {
		json_decref(o);
		json_decref(value);
		return NULL;
	}
	json_object_set_new(o, key, value);
	return o;
}

size_t utf8_width(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

/* --- people's names, as a French sign-in sheet reads them --- */

/* Lower-case particles: "de", "d'Estaing", "van", "de la": part of the
 * surname, never of its sort key. */
static bool particle_lower(const char *w, size_t len)
{
	static const char *const words[] = {"de",  "du",  "des", "la", "le",  "les",   "van", "von",
					    "der", "den", "da",	 "di", "del", "della", "dos"};
	if (len >= 2 && w[0] == 'd' && w[1] == '\'')
		return true;
	if (len >= 4 && !strncmp(w, "d\xe2\x80\x99", 4)) /* d’ */
		return true;
	if (len >= 2 && w[0] == 'l' && w[1] == '\'')
		return true;
	for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
		if (strlen(words[i]) == len && !strncmp(w, words[i], len))
			return true;
	return false;
}

/* Capitalised articles that begin a surname and stay in it, sort key
 * included: "Le Goff", "La Fontaine", "De Gaulle", "Van Gogh". */
static bool article_capital(const char *w, size_t len)
{
	static const char *const words[] = {"Le",  "La",  "Les", "De", "Du",  "Des",
					    "Van", "Von", "Da",	 "Di", "Del", "Dos"};
	if (len >= 3 && (w[0] == 'L' || w[0] == 'D') && w[1] == '\'')
		return true;
	for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
		if (strlen(words[i]) == len && !strncmp(w, words[i], len))
			return true;
	return false;
}

/* A word typed in capitals ("DUPONT", "LE"): two letters at least, none
 * lower-case (ASCII, or a Latin-1 letter à..ÿ). */
static bool in_capitals(const char *w, size_t len)
{
	size_t letters = 0;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)w[i];
		if (c >= 'a' && c <= 'z')
			return false;
		if (c == 0xC3 && i + 1 < len && (unsigned char)w[i + 1] >= 0xA0)
			return false;
		if ((c >= 'A' && c <= 'Z') || (c == 0xC3 && i + 1 < len))
			letters++;
	}
	return letters >= 2;
}

#define NAME_WORDS 32

/* Splits on spaces: word starts and lengths; returns the count. */
static size_t words_of(const char *s, const char *start[NAME_WORDS], size_t len[NAME_WORDS])
{
	size_t k = 0;
	while (*s && k < NAME_WORDS) {
		while (*s == ' ' || *s == '\t')
			s++;
		if (!*s)
			break;
		start[k] = s;
		while (*s && *s != ' ' && *s != '\t')
			s++;
		len[k] = (size_t)(s - start[k]);
		k++;
	}
	return k;
}

static void join_words(const char *const start[], const size_t len[], size_t from, size_t to,
		       char *out, size_t n)
{
	size_t o = 0;
	out[0] = '\0';
	for (size_t i = from; i < to && o < n; i++)
		o +=
		    (size_t)snprintf(out + o, n - o, "%s%.*s", o ? " " : "", (int)len[i], start[i]);
}

void name_split(const char *full, char *first, size_t nf, char *last, size_t nl)
{
	const char *start[NAME_WORDS];
	size_t len[NAME_WORDS];
	size_t k = words_of(full ? full : "", start, len);
	first[0] = last[0] = '\0';
	if (k == 0)
		return;
	size_t from = k - 1, to = k; /* the surname: words [from, to) */
	/* a particle or an article first: no first name was given ("de La
	 * Fontaine", "LE GOFF") */
	char head[8];
	size_t hl = len[0] < sizeof head - 1 ? len[0] : sizeof head - 1;
	for (size_t i = 0; i < hl; i++)
		head[i] = (char)(start[0][i] >= 'A' && start[0][i] <= 'Z' ? start[0][i] + 32
									  : start[0][i]);
	head[hl] = '\0';
	if (k > 1 && (particle_lower(head, hl) || article_capital(start[0], len[0]))) {
		join_words(start, len, 0, k, last, nl);
		return;
	}
	size_t caps = k, all_caps = 0;
	for (size_t i = 0; i < k; i++)
		if (in_capitals(start[i], len[i])) {
			all_caps++;
			if (caps == k)
				caps = i;
		}
	if (caps < k && all_caps < k) {
		/* typed in capitals: that run is the surname, particles with it */
		from = caps;
		while (from > 0 && particle_lower(start[from - 1], len[from - 1]))
			from--;
		to = caps + 1;
		while (to < k &&
		       (in_capitals(start[to], len[to]) || particle_lower(start[to], len[to])))
			to++;
	} else {
		/* else from a particle or an article after the first name, or the
		 * last word */
		for (size_t i = 1; i < k; i++)
			if (particle_lower(start[i], len[i]) || article_capital(start[i], len[i])) {
				from = i;
				break;
			}
	}
	join_words(start, len, from, to, last, nl);
	/* the first name: the words before the surname, then any after it */
	char before[512], after[512];
	join_words(start, len, 0, from, before, sizeof before);
	join_words(start, len, to, k, after, sizeof after);
	snprintf(first, nf, "%s%s%s", before, *before && *after ? " " : "", after);
}

void surname_key(const char *last, char *out, size_t n)
{
	const char *start[NAME_WORDS];
	size_t len[NAME_WORDS];
	size_t k = words_of(last ? last : "", start, len), i = 0;
	/* "de La Fontaine" under L, "d'Estaing" under E */
	while (i + 1 < k && particle_lower(start[i], len[i]))
		i++;
	char kept[512];
	join_words(start, len, i, k, kept, sizeof kept);
	if (k == 1 && len[0] > 2 && start[0][0] == 'd' && start[0][1] == '\'')
		snprintf(kept, sizeof kept, "%s", start[0] + 2);
	text_fold(kept, out, n);
}

/* Upper case of ASCII and the Latin-1 letters à..þ (œ too): "Éléonore" ->
 * "ÉLÉONORE". */
static void upper_into(const char *s, size_t len, char *out, size_t n, size_t *o)
{
	for (size_t i = 0; i < len && *o + 3 < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c >= 'a' && c <= 'z') {
			out[(*o)++] = (char)(c - 32);
		} else if (c == 0xC3 && i + 1 < len && (unsigned char)s[i + 1] >= 0xA0 &&
			   (unsigned char)s[i + 1] != 0xB7 && (unsigned char)s[i + 1] != 0xBF) {
			out[(*o)++] = (char)c;
			out[(*o)++] = (char)((unsigned char)s[++i] - 0x20);
		} else if (c == 0xC5 && i + 1 < len && (unsigned char)s[i + 1] == 0x93) {
			out[(*o)++] = (char)c;
			out[(*o)++] = (char)0x92;
			i++;
		} else {
			out[(*o)++] = (char)c;
		}
	}
	out[*o] = '\0';
}

void name_sheet(const char *first, const char *last, char *out, size_t n)
{
	const char *start[NAME_WORDS];
	size_t len[NAME_WORDS];
	size_t k = words_of(last ? last : "", start, len), o = 0;
	out[0] = '\0';
	for (size_t i = 0; i < k && o + 1 < n; i++) {
		if (o)
			out[o++] = ' ';
		if (particle_lower(start[i], len[i]) && i + 1 < k) {
			/* "de LA FONTAINE": the particle as typed */
			size_t take = len[i] < n - o - 1 ? len[i] : n - o - 1;
			memcpy(out + o, start[i], take);
			o += take;
			out[o] = '\0';
		} else if (len[i] > 2 && o + 3 < n && (start[i][0] == 'd' || start[i][0] == 'l') &&
			   start[i][1] == '\'') {
			/* "d'ESTAING": the elided particle as typed */
			out[o++] = start[i][0];
			out[o++] = '\'';
			upper_into(start[i] + 2, len[i] - 2, out, n, &o);
		} else {
			upper_into(start[i], len[i], out, n, &o);
		}
	}
	if (first && *first && o + 2 < n)
		snprintf(out + o, n - o, "%s%s", o ? " " : "", first);
}

/* A protocol title of a role's first word, in both genders. */
static const char *const titles[][2] = {
    {"President", "Presidente"}, {"Vice-president", "Vice-presidente"},
    {"Prefet", "Prefete"},	 {"Maire", "Maire"},
    {"Ministre", "Ministre"},	 {"Senateur", "Senatrice"},
    {"Depute", "Deputee"},	 {"Directeur", "Directrice"},
};
static const char *const titles_fr[][2] = {
    {"Président", "Présidente"}, {"Vice-président", "Vice-présidente"},
    {"Préfet", "Préfète"},	 {"Maire", "Maire"},
    {"Ministre", "Ministre"},	 {"Sénateur", "Sénatrice"},
    {"Député", "Députée"},	 {"Directeur", "Directrice"},
};

void greeting_fr(const char *civility, const char *role, const char *first, const char *last,
		 char *out, size_t n)
{
	bool madame = civility && !strcmp(civility, "Mme"),
	     monsieur = civility && !strcmp(civility, "M.");
	if ((madame || monsieur) && role && *role) {
		/* the role's first word, hyphens kept: "Vice-présidente" */
		char word[64], folded[64];
		size_t len = strcspn(role, " ,");
		snprintf(word, sizeof word, "%.*s", (int)(len < 63 ? len : 63), role);
		text_fold(word, folded, sizeof folded);
		for (size_t i = 0; i < sizeof titles / sizeof titles[0]; i++) {
			char masc[64], fem[64];
			text_fold(titles[i][0], masc, sizeof masc);
			text_fold(titles[i][1], fem, sizeof fem);
			if (strcmp(folded, masc) && strcmp(folded, fem))
				continue;
			snprintf(out, n, "%s %s %s,", madame ? "Madame" : "Monsieur",
				 madame ? "la" : "le", titles_fr[i][madame ? 1 : 0]);
			return;
		}
	}
	if (madame || monsieur) {
		snprintf(out, n, "%s,", madame ? "Madame" : "Monsieur");
		return;
	}
	char sheet[300];
	if (last && *last) {
		/* "Bonjour Marie DUPONT," */
		char surname[256];
		name_sheet(NULL, last, surname, sizeof surname);
		snprintf(sheet, sizeof sheet, "%s%s%s", first && *first ? first : "",
			 first && *first ? " " : "", surname);
	} else {
		snprintf(sheet, sizeof sheet, "%s", first ? first : "");
	}
	snprintf(out, n, "Bonjour%s%s,", *sheet ? " " : "", sheet);
}
