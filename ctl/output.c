/* Human rendering of an answer's data: tables for lists, "key: value" for
 * one thing. --json prints the same data as it came. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "ctl.h"

#define MAX_WIDTH 40
#define NESTED_COLUMNS                                                                             \
	"line,id,edition,when_fr,departement,departement_name,city,title,status,message"
/* the rows of a bilan (cycle stats) */
#define STATS_COLUMNS                                                                              \
	"atelier,date,departement_name,city,capacity,confirmed,waitlisted,attended,fill_rate,"     \
	"attendance_rate"

static size_t width(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

/* A scalar as text; the caller frees. */
static char *scalar_text(json_t *v)
{
	if (!v || json_is_null(v))
		return strdup("-");
	if (json_is_string(v))
		return strdup(json_string_value(v));
	if (json_is_true(v))
		return strdup("yes");
	if (json_is_false(v))
		return strdup("no");
	if (json_is_real(v)) {
		char buf[32];
		snprintf(buf, sizeof buf, "%.2f", json_real_value(v));
		return strdup(buf);
	}
	if (json_is_object(v)) {
		/* a small summary object, e.g. counts by status */
		size_t cap = 256, len = 0;
		char *buf = calloc(1, cap);
		const char *k;
		json_t *sub;
		json_object_foreach(v, k, sub)
		{
			char *t = scalar_text(sub);
			size_t need = strlen(k) + strlen(t) + 3;
			if (len + need >= cap) {
				cap = (len + need) * 2;
				buf = realloc(buf, cap);
			}
			len +=
			    (size_t)snprintf(buf + len, cap - len, "%s%s=%s", len ? " " : "", k, t);
			free(t);
		}
		return buf;
	}
	return json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);
}

/* Cuts at MAX_WIDTH characters, on a character boundary. */
static void clip(char *s)
{
	size_t n = 0;
	for (char *p = s; *p; p++) {
		if (((unsigned char)*p & 0xC0) != 0x80 && ++n > MAX_WIDTH) {
			strcpy(p, "…");
			return;
		}
	}
}

/* Whether some row has the column: a key missing from the first row (a
 * note, the id of a draft made) may come in later ones. */
static bool any_row_has(json_t *rows, const char *key)
{
	size_t i;
	json_t *row;
	json_array_foreach(rows, i, row) if (json_object_get(row, key)) return true;
	return false;
}

/* The columns to show: those of the spec that some row has, or, without a
 * spec (or when it names at most one of them), every scalar key of the
 * rows in order of appearance. */
static size_t split_columns(const char *spec, json_t *rows, const char **cols, size_t max)
{
	size_t n = 0;
	if (spec) {
		static char copy[512];
		snprintf(copy, sizeof copy, "%s", spec);
		for (char *save, *tok = strtok_r(copy, ",", &save); tok && n < max;
		     tok = strtok_r(NULL, ",", &save))
			if (any_row_has(rows, tok))
				cols[n++] = tok;
		if (n > 1)
			return n;
	}
	n = 0;
	size_t i;
	json_t *row;
	json_array_foreach(rows, i, row)
	{
		const char *k;
		json_t *v;
		json_object_foreach(row, k, v)
		{
			bool known = json_is_array(v);
			for (size_t c = 0; c < n && !known; c++)
				known = !strcmp(cols[c], k);
			if (!known && n < max)
				cols[n++] = k;
		}
	}
	return n;
}

static void print_table(FILE *out, json_t *rows, const char *spec, const char *indent)
{
	if (json_array_size(rows) == 0) {
		fprintf(out, "%s(none)\n", indent);
		return;
	}
	const char *cols[32];
	size_t ncols = split_columns(spec, rows, cols, 32);
	size_t nrows = json_array_size(rows);
	char **cells = calloc(nrows * ncols, sizeof *cells);
	size_t widths[32];
	for (size_t c = 0; c < ncols; c++)
		widths[c] = width(cols[c]);
	for (size_t r = 0; r < nrows; r++)
		for (size_t c = 0; c < ncols; c++) {
			char *t = scalar_text(json_object_get(json_array_get(rows, r), cols[c]));
			/* the last column may run long: nothing follows it */
			if (c + 1 < ncols) {
				t = realloc(t, strlen(t) + 4);
				clip(t);
			}
			cells[r * ncols + c] = t;
			if (width(t) > widths[c])
				widths[c] = width(t);
		}
	fputs(indent, out);
	for (size_t c = 0; c < ncols; c++)
		fprintf(out, "%s%-*s", c ? "  " : "", c + 1 < ncols ? (int)widths[c] : 0, cols[c]);
	fputc('\n', out);
	for (size_t r = 0; r < nrows; r++) {
		fputs(indent, out);
		for (size_t c = 0; c < ncols; c++) {
			const char *t = cells[r * ncols + c];
			int pad = c + 1 < ncols ? (int)(widths[c] - width(t)) : 0;
			fprintf(out, "%s%s%*s", c ? "  " : "", t, pad, "");
			free(cells[r * ncols + c]);
		}
		fputc('\n', out);
	}
	free(cells);
}

static void print_object(FILE *out, json_t *obj)
{
	const char *k;
	json_t *v;
	size_t keyw = 0;
	json_object_foreach(obj, k, v)
	{
		if (!json_is_array(v) && width(k) > keyw)
			keyw = width(k);
	}
	json_object_foreach(obj, k, v)
	{
		if (json_is_array(v))
			continue;
		char *t = scalar_text(v);
		fprintf(out, "%-*s  %s\n", (int)keyw + 1, k, t);
		free(t);
	}
	json_object_foreach(obj, k, v)
	{
		if (!json_is_array(v))
			continue;
		fprintf(out, "\n%s:\n", k);
		bool bilan = json_object_get(json_array_get(v, 0), "fill_rate") != NULL;
		print_table(out, v, bilan ? STATS_COLUMNS : NESTED_COLUMNS, "  ");
	}
}

void output_human(FILE *out, const struct cmd_entry *cmd, json_t *data)
{
	/* "=field": the command returns a document; print it as it is */
	if (cmd->columns && cmd->columns[0] == '=') {
		fputs(json_string_value(json_object_get(data, cmd->columns + 1)) ?: "", out);
		return;
	}
	if (json_is_array(data))
		print_table(out, data, cmd->columns, "");
	else if (json_is_object(data))
		print_object(out, data);
	else if (data && !json_is_null(data)) {
		char *t = scalar_text(data);
		fprintf(out, "%s\n", t);
		free(t);
	}
}
