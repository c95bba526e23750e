/* Reads the registrations of a CSV file as French spreadsheets write it:
 * UTF-8 with or without BOM, ',' or ';', quoted fields with newlines, a
 * header naming the columns. libcsv parses; this maps and numbers lines. */
#include "config.h"

#include <csv.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctl.h"
#include "i18n.h"
#include "text.h"

#define MAX_FILE (64u << 20)

enum column {
	COL_IGNORED,
	COL_NAME,
	COL_FIRST,
	COL_LAST,
	COL_EMAIL,
	COL_ORG,
	COL_CATEGORY,
	COL_STATUS, /* an export's: a cancelled registration is not imported again */
	COL_CIVILITY
};

static const struct {
	const char *folded;
	enum column column;
} header_names[] = {
    {"nom", COL_LAST},
    {"last_name", COL_LAST},
    {"first_name", COL_FIRST},
    {"civilite", COL_CIVILITY},
    {"civility", COL_CIVILITY},
    {"name", COL_NAME},
    {"nom complet", COL_NAME},
    {"nom et prenom", COL_NAME},
    {"prenom et nom", COL_NAME},
    {"nom prenom", COL_NAME},
    {"participant", COL_NAME},
    {"full name", COL_NAME},
    {"prenom", COL_FIRST},
    {"first name", COL_FIRST},
    {"firstname", COL_FIRST},
    {"nom de famille", COL_LAST},
    {"last name", COL_LAST},
    {"lastname", COL_LAST},
    {"email", COL_EMAIL},
    {"e mail", COL_EMAIL},
    {"mail", COL_EMAIL},
    {"courriel", COL_EMAIL},
    {"adresse email", COL_EMAIL},
    {"adresse e mail", COL_EMAIL},
    {"adresse electronique", COL_EMAIL},
    {"organisation", COL_ORG},
    {"organisme", COL_ORG},
    {"structure", COL_ORG},
    {"org", COL_ORG},
    {"collectivite", COL_ORG},
    {"categorie", COL_CATEGORY},
    {"category", COL_CATEGORY},
    {"profil", COL_CATEGORY},
    {"qualite", COL_CATEGORY},
    {"type", COL_CATEGORY},
    {"statut", COL_STATUS},
    {"status", COL_STATUS},
};

struct reader {
	const char *path;
	long line;	   /* physical line being fed */
	long record_line;  /* line where the current record began */
	bool record_start; /* the next non-newline byte begins a record */
	json_t *cells;	   /* the current record */
	enum column *columns;
	size_t ncolumns;
	bool header_done, has_first, has_last;
	json_t *rows;
	char error[300];
};

static void on_field(void *data, size_t len, void *arg)
{
	struct reader *rd = arg;
	json_array_append_new(rd->cells, json_stringn(data ? data : "", data ? len : 0));
}

static char *trimmed(const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	size_t n = strlen(s);
	while (n > 0 &&
	       (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n'))
		n--;
	return strndup(s, n);
}

static void read_header(struct reader *rd)
{
	rd->ncolumns = json_array_size(rd->cells);
	rd->columns = calloc(rd->ncolumns ? rd->ncolumns : 1, sizeof *rd->columns);
	bool email = false, name = false;
	for (size_t i = 0; i < rd->ncolumns; i++) {
		char folded[128];
		text_fold(json_string_value(json_array_get(rd->cells, i)), folded, sizeof folded);
		for (size_t k = 0; k < sizeof header_names / sizeof header_names[0]; k++)
			if (!strcmp(folded, header_names[k].folded))
				rd->columns[i] = header_names[k].column;
		rd->has_first |= rd->columns[i] == COL_FIRST;
		rd->has_last |= rd->columns[i] == COL_LAST;
		email |= rd->columns[i] == COL_EMAIL;
		name |= rd->columns[i] == COL_NAME || rd->columns[i] == COL_LAST;
	}
	if (!email)
		snprintf(
		    rd->error, sizeof rd->error,
		    _("line %ld: the header names no e-mail column (email, courriel, e-mail...)"),
		    rd->record_line);
	else if (!name)
		snprintf(rd->error, sizeof rd->error,
			 _("line %ld: the header names no name column (nom, prénom, name...)"),
			 rd->record_line);
	rd->header_done = true;
}

static void on_record(int c, void *arg)
{
	(void)c;
	struct reader *rd = arg;
	if (rd->error[0])
		goto next;
	if (!rd->header_done) {
		read_header(rd);
		goto next;
	}
	char *name = NULL, *first = NULL, *last = NULL, *email = NULL, *org = NULL, *cat = NULL,
	     *civility = NULL;
	bool empty = true, cancelled = false;
	for (size_t i = 0; i < json_array_size(rd->cells); i++) {
		char *v = trimmed(json_string_value(json_array_get(rd->cells, i)));
		empty &= !*v;
		enum column col = i < rd->ncolumns ? rd->columns[i] : COL_IGNORED;
		if (col == COL_STATUS) {
			char folded[64];
			text_fold(v, folded, sizeof folded);
			cancelled |= !strcmp(folded, "annule") || !strcmp(folded, "cancelled");
		}
		char **slot = col == COL_NAME	    ? &name
			      : col == COL_FIRST    ? &first
			      : col == COL_LAST	    ? &last
			      : col == COL_EMAIL    ? &email
			      : col == COL_CIVILITY ? &civility
			      : col == COL_ORG	    ? &org
			      : col == COL_CATEGORY ? &cat
						    : NULL;
		if (slot && !*slot && *v)
			*slot = v;
		else
			free(v);
	}
	if (!name && (first || last)) {
		/* "Prénom" and "Nom" columns make one name */
		size_t n = (first ? strlen(first) : 0) + (last ? strlen(last) : 0) + 2;
		name = malloc(n);
		snprintf(name, n, "%s%s%s", first ? first : "", first && last ? " " : "",
			 last ? last : "");
	}
	/* the two columns stay apart: "Martin Leroy" and "Jean" cannot be
	 * told apart again once joined */
	if (!empty && !cancelled)
		json_array_append_new(rd->rows,
				      json_pack("{s:i,s:s?,s:s?,s:s?,s:s?,s:s?,s:s?,s:s?}", "line",
						(int)rd->record_line, "name", name, "first_name",
						last ? first : NULL, "last_name",
						/* a Nom column left empty: said, not guessed */
						last			? last
						: rd->has_last && first ? ""
									: NULL,
						"civility", civility, "email", email,
						"organisation", org, "category", cat));
	free(name);
	free(first);
	free(last);
	free(email);
	free(org);
	free(cat);
	free(civility);
next:
	json_array_clear(rd->cells);
	rd->record_start = true;
}

/* Where the first byte that is not UTF-8 sits, or 0. */
static size_t bad_utf8_at(const unsigned char *s, size_t n)
{
	for (size_t i = 0; i < n;) {
		unsigned char c = s[i];
		size_t len = c < 0x80	      ? 1
			     : (c >> 5) == 6  ? 2
			     : (c >> 4) == 14 ? 3
			     : (c >> 3) == 30 ? 4
					      : 0;
		if (len == 0 || i + len > n)
			return i + 1;
		for (size_t k = 1; k < len; k++)
			if ((s[i + k] & 0xC0) != 0x80)
				return i + 1;
		if (len == 2 && c < 0xC2)
			return i + 1;
		i += len;
	}
	return 0;
}

static char *slurp(const char *path, size_t *n, char *error, size_t errn)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		snprintf(error, errn, _("cannot open: %s"), strerror(errno));
		return NULL;
	}
	char *buf = malloc(MAX_FILE + 1);
	*n = buf ? fread(buf, 1, MAX_FILE + 1, f) : 0;
	fclose(f);
	if (!buf || *n > MAX_FILE) {
		snprintf(error, errn, _("larger than %u MiB"), MAX_FILE >> 20);
		free(buf);
		return NULL;
	}
	return buf;
}

json_t *csv_read_rows(const char *path)
{
	struct reader rd = {.path = path, .line = 1, .record_start = true};
	size_t n = 0;
	char *data = slurp(path, &n, rd.error, sizeof rd.error);
	json_t *result = NULL;
	if (!data)
		goto out;
	char *p = data;
	if (n >= 3 && !memcmp(p, "\xEF\xBB\xBF", 3)) {
		p += 3;
		n -= 3;
	}
	if (strspn(p, " \t\r\n") >= n) {
		snprintf(rd.error, sizeof rd.error, _("the file is empty"));
		goto out;
	}
	size_t bad = bad_utf8_at((unsigned char *)p, n);
	if (bad) {
		long line = 1;
		for (size_t i = 0; i + 1 < bad; i++)
			line += p[i] == '\n';
		snprintf(rd.error, sizeof rd.error,
			 _("line %ld: not valid UTF-8 (save the file as \"CSV UTF-8\")"), line);
		goto out;
	}
	/* a NUL byte would cut its cell short without a word */
	const char *nul = memchr(p, '\0', n);
	if (nul) {
		long line = 1;
		for (const char *c = p; c < nul; c++)
			line += *c == '\n';
		snprintf(rd.error, sizeof rd.error,
			 _("line %ld: a NUL byte (this is not a text file)"), line);
		goto out;
	}
	/* the separator is whichever of ';' and ',' the header uses more */
	size_t header_len = strcspn(p, "\n"), semi = 0, comma = 0;
	for (size_t i = 0; i < header_len && i < n; i++) {
		semi += p[i] == ';';
		comma += p[i] == ',';
	}
	rd.cells = json_array();
	rd.rows = json_array();
	/* A quote that does not close (Dupont "Jr, or "Dupont) makes its
	 * record a bad row like any other, named to the daemon, and the file
	 * is read again from the line after that record's first one. */
	size_t from = 0;
	while (from < n && !rd.error[0]) {
		size_t record_at = from;
		bool broken = false;
		struct csv_parser parser;
		if (csv_init(&parser, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0) {
			snprintf(rd.error, sizeof rd.error, _("out of memory"));
			break;
		}
		csv_set_delim(&parser, semi > comma ? ';' : ',');
		/* byte by byte, so that each record knows the line it began on */
		size_t i = from;
		for (; i < n && !rd.error[0]; i++) {
			if (rd.record_start && p[i] != '\n' && p[i] != '\r') {
				rd.record_line = rd.line;
				record_at = i;
				rd.record_start = false;
			}
			if (csv_parse(&parser, p + i, 1, on_field, on_record, &rd) != 1) {
				broken = csv_error(&parser) == CSV_EPARSE;
				if (!broken)
					snprintf(rd.error, sizeof rd.error, _("line %ld: %s"),
						 rd.line, csv_strerror(csv_error(&parser)));
				break;
			}
			rd.line += p[i] == '\n';
		}
		if (i == n && !rd.error[0] && csv_fini(&parser, on_field, on_record, &rd) != 0)
			broken = true;
		csv_free(&parser);
		if (!broken)
			break;
		if (!rd.header_done) {
			snprintf(rd.error, sizeof rd.error,
				 _("line %ld: a quotation mark is not closed in the header"),
				 rd.record_line);
			break;
		}
		json_array_append_new(
		    rd.rows, json_pack("{s:i,s:s}", "line", (int)rd.record_line, "bad", "quote"));
		json_array_clear(rd.cells);
		rd.record_start = true;
		const char *eol = memchr(p + record_at, '\n', n - record_at);
		from = eol ? (size_t)(eol - p) + 1 : n;
		rd.line = rd.record_line + 1;
	}
	if (!rd.error[0] && !rd.header_done)
		snprintf(rd.error, sizeof rd.error, _("the file has no header row"));
	if (!rd.error[0])
		result = json_incref(rd.rows);
out:
	if (rd.error[0])
		fprintf(stderr, _("adfctl: %s: %s\n"), path, rd.error);
	json_decref(rd.cells);
	json_decref(rd.rows);
	free(rd.columns);
	free(data);
	return result;
}
