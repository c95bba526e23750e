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
