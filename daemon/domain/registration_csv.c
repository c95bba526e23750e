/* Registrations in and out: the import of rows that adfctl read from a
 * CSV file (all or nothing, every bad row named), and the export, streamed
 * in chunks so that 100 000 rows never sit in memory at once. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "atelier.h"
#include "db.h"
#include "paris.h"
#include "registration.h"
#include "registration_csv.h"
#include "text.h"
#include "work.h"

#define EXPORT_CHUNK 500

/* The category as spreadsheets write it ("Élue", "Journaliste"...). */
static const char *category_of(const char *typed)
{
	static const struct {
		const char *folded, *category;
	} names[] = {
	    {"elu", "elu"},
	    {"elue", "elu"},
	    {"elus", "elu"},
	    {"elu e", "elu"},
	    {"agent", "agent"},
	    {"agente", "agent"},
	    {"agents", "agent"},
	    {"partenaire", "partenaire"},
	    {"partenaires", "partenaire"},
	    {"presse", "presse"},
	    {"journaliste", "presse"},
	    {"entreprise", "entreprise"},
	    {"entreprises", "entreprise"},
	    {"public", "public"},
	    {"grand public", "public"},
	};
	char folded[64];
	text_fold(typed, folded, sizeof folded);
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (strcmp(folded, names[i].folded) == 0)
			return names[i].category;
	return NULL;
}

static void add_problem(json_t *list, long long line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void add_problem(json_t *list, long long line, const char *fmt, ...)
{
	struct adf_error err;
	va_list ap;
	va_start(ap, fmt);
	adf_vfail(&err, ADF_E_BAD_REQUEST, fmt, ap);
	va_end(ap);
	json_t *problem = json_pack("{s:I}", "line", (json_int_t)line), *e = proto_error_json(&err);
	json_object_update(problem, e);
	json_decref(e);
	json_array_append_new(list, problem);
}

/* A spreadsheet cell may hold line breaks and tabs: one line, single
 * spaces, in a name. Other control characters are refused. */
static bool one_line(const char *in, char *out, size_t n)
{
	size_t o = 0;
	bool space = true;
	for (; *in; in++) {
		unsigned char c = (unsigned char)*in;
		if (c == '\n' || c == '\r' || c == '\t' || c == ' ') {
			if (!space && o + 1 < n)
				out[o++] = ' ';
			space = true;
			continue;
		}
		if (c < 0x20 || c == 0x7F || o + 1 >= n)
			return false;
		out[o++] = (char)c;
		space = false;
	}
	while (o > 0 && out[o - 1] == ' ')
		o--;
	out[o] = '\0';
	return true;
}

/* Checks one row; on success, fills the cleaned fields in `good`. */
static void check_row(struct work *w, json_t *row, long long line, json_t *seen, long long atelier,
		      json_t *problems, json_t *good)
{
	const char *email = json_str(row, "email"), *category = json_str(row, "category");
	char key[256], name[401], org[401], first[401], last[401];
	/* adfctl could not read the line: a quotation mark that is not closed */
	if (json_str(row, "bad")) {
		add_problem(problems, line, "a quotation mark is not closed");
		return;
	}
	if (!one_line(json_str(row, "name") ? json_str(row, "name") : "", name, sizeof name) ||
	    !one_line(json_str(row, "first_name") ?: "", first, sizeof first) ||
	    !one_line(json_str(row, "last_name") ?: "", last, sizeof last) ||
	    !one_line(json_str(row, "organisation") ? json_str(row, "organisation") : "", org,
		      sizeof org)) {
		add_problem(
		    problems, line,
		    "name or organisation longer than 400 bytes or with control characters");
		return;
	}
	if (!name[0] && !last[0]) {
		add_problem(problems, line, "no name");
		return;
	}
	if (json_str(row, "last_name") && !last[0]) {
		add_problem(problems, line, "no surname (the Nom column is empty)");
		return;
	}
	/* the limits of register and of the site's form */
	if (utf8_width(first) > 100 || utf8_width(last) > 100 || utf8_width(name) > 200) {
		add_problem(problems, line, "a name longer than 100 characters");
		return;
	}
	if (!email || !email_valid(email)) {
		add_problem(problems, line, "\"%s\" is not a valid e-mail address",
			    email ? email : "");
		return;
	}
	/* "Mme", "Madame", "M.", "Monsieur", or none */
	const char *typed_civility = json_str(row, "civility"), *civility = NULL;
	if (typed_civility && *typed_civility) {
		char folded[32];
		text_fold(typed_civility, folded, sizeof folded);
		civility =
		    !strcmp(folded, "mme") || !strcmp(folded, "madame") ? "Mme"
		    : !strcmp(folded, "m.") || !strcmp(folded, "m") || !strcmp(folded, "monsieur")
			? "M."
			: NULL;
		if (!civility) {
			add_problem(problems, line, "unknown civility \"%s\" (Mme, M.)",
				    typed_civility);
			return;
		}
	}
	const char *cat = category ? category_of(category) : NULL;
	if (!cat) {
		add_problem(problems, line,
			    "unknown category \"%s\" (elu, agent, partenaire, presse, entreprise, "
			    "public)",
			    category ? category : "");
		return;
	}
	registration_email_key(email, key, sizeof key);
	json_t *seen_on = json_object_get(seen, key);
	if (seen_on) {
		add_problem(problems, line, "%s appears twice in the file (first on line %lld)",
			    email, (long long)json_integer_value(seen_on));
		return;
	}
	json_object_set_new(seen, key, json_integer(line));
	long long existing = db_scalar(w->db, &w->err,
				       "SELECT id FROM registration WHERE atelier_id = ?"
				       " AND email_key = ? AND status <> 'cancelled'",
				       "Is", atelier, key);
	if (existing > 0) {
		add_problem(problems, line, "%s is already registered (registration %lld)", email,
			    existing);
		return;
	}
	json_array_append_new(
	    good, json_pack("{s:I,s:s,s:s?,s:s?,s:s?,s:s,s:s?,s:s}", "line", (json_int_t)line,
			    "name", name, "first_name", last[0] ? first : NULL, "last_name",
			    last[0] ? last : NULL, "civility", civility, "email", email,
			    "organisation", org[0] ? org : NULL, "category", cat));
}

json_t *registration_import(struct work *w, long long atelier_id, json_t *rows, bool skip_invalid,
			    bool dry_run)
{
	json_t *atelier = atelier_get(w, atelier_id);
	if (!atelier)
		return NULL;
	snprintf(w->target, sizeof w->target, "atelier:%lld", atelier_id);
	if (registration_check_open(w, atelier) < 0) {
		json_decref(atelier);
		return NULL;
	}
	json_t *problems = json_array(), *seen = json_object(), *good = json_array();
	size_t i;
	json_t *row;
	json_array_foreach(rows, i, row)
	{
		json_t *line = json_object_get(row, "line");
		check_row(w, row, line ? json_integer_value(line) : (long long)i + 2, seen,
			  atelier_id, problems, good);
	}
	json_decref(seen);
	int rc = 0;
	if (json_array_size(rows) == 0)
		rc = work_fail(w, ADF_E_BAD_REQUEST, "the file holds no registration");
	else if (json_array_size(problems) > 0 && !skip_invalid) {
		rc = work_fail(w, ADF_E_BAD_REQUEST, "%zu bad row(s): nothing imported",
			       json_array_size(problems));
		w->err_details = json_incref(problems);
	}
	/* rows go in in file order, so capacity and the waiting list follow it */
	json_t *done = json_array();
	long long confirmed = 0, waitlisted = 0;
	json_array_foreach(good, i, row)
	{
		if (rc < 0)
			break;
		long long id;
		const char *status;
		struct registration_form f = {.civility = json_str(row, "civility"),
					      .name = json_str(row, "name"),
					      .first = json_str(row, "first_name"),
					      .last = json_str(row, "last_name"),
					      .email = json_str(row, "email"),
					      .org = json_str(row, "organisation"),
					      .category = json_str(row, "category"),
					      .source = "import"};
		rc = registration_add(w, atelier, &f, &id, &status);
		if (rc == 0) {
			confirmed += !strcmp(status, "confirmed");
			waitlisted += !strcmp(status, "waitlisted");
			json_array_append_new(done, json_pack("{s:O,s:I,s:s}", "line",
							      json_object_get(row, "line"), "id",
							      (json_int_t)id, "status", status));
		}
	}
	json_t *answer = NULL;
	if (rc == 0) {
		answer =
		    json_pack("{s:I,s:b,s:I,s:I,s:I,s:o,s:O}", "atelier", (json_int_t)atelier_id,
			      "dry_run", dry_run, "imported", (json_int_t)json_array_size(done),
			      "confirmed", (json_int_t)confirmed, "waitlisted",
			      (json_int_t)waitlisted, "rows", done, "skipped", problems);
	} else {
		json_decref(done);
	}
	json_decref(problems);
	json_decref(good);
	json_decref(atelier);
	return answer;
}

/* A registration's status as the French spreadsheet says it. */
static const char *status_fr(const char *status)
{
	static const struct {
		const char *status, *fr;
	} names[] = {{"confirmed", "confirmé"},
		     {"waitlisted", "liste d'attente"},
		     {"cancelled", "annulé"},
		     {"attended", "présent"}};
	for (size_t i = 0; status && i < sizeof names / sizeof names[0]; i++)
		if (!strcmp(status, names[i].status))
			return names[i].fr;
	return status;
}

/* Whether text from s on would start a formula in a spreadsheet's cell:
 * = + - @ (or a tab or CR, which some strip first), after any spaces and
 * quotes. */
static bool starts_formula(const char *s)
{
	while (*s == ' ' || *s == '"')
		s++;
	return *s && strchr("=+-@\t\r", *s);
}

/* A spreadsheet runs a cell that starts with = + - @ as a formula: such a
 * cell gets a leading quote. A spreadsheet may also split the line on
 * another separator than ours (French Excel splits on ';' what was written
 * with ','), so every piece of a cell after a ',', ';' or tab gets the
 * same treatment: "x;=1+2" becomes "x;'=1+2". */
static void csv_cell(FILE *out, const char *s, char sep, bool first)
{
	if (!first)
		fputc(sep, out);
	if (!s)
		return;
	bool formula = starts_formula(s);
	bool quote = formula || strpbrk(s, ",;\t\"\n\r") || strchr(s, sep) || s[0] == ' ';
	if (quote)
		fputc('"', out);
	if (formula)
		fputc('\'', out);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', out);
		fputc(*s, out);
		if (strchr(",;\t", *s) && starts_formula(s + 1))
			fputc('\'', out);
	}
	if (quote)
		fputc('"', out);
}

struct registration_export {
	long long atelier, after, rows;
	bool csv, french, bom, started;
	char sep;
};

/* How the person registered, as an organiser says it. */
static const char *source_fr(const char *source)
{
	static const struct {
		const char *source, *fr;
	} names[] = {{"web", "site"},
		     {"import", "import"},
		     {"adfctl", "organisateurs"},
		     {"door", "à l'accueil"}};
	for (size_t i = 0; source && i < sizeof names / sizeof names[0]; i++)
		if (!strcmp(source, names[i].source))
			return names[i].fr;
	return source;
}

/* A category in French words, agreeing with the civility ("élue"). */
static const char *category_fr(const char *category, const char *civility)
{
	bool feminine = civility && !strcmp(civility, "Mme");
	if (category && !strcmp(category, "elu"))
		return feminine ? "élue" : "élu";
	if (category && !strcmp(category, "agent"))
		return feminine ? "agente" : "agent";
	return category;
}

/* The columns of an export, by position in the query below. */
enum export_column {
	X_ID,
	X_CIVILITY,
	X_LAST,
	X_FIRST,
	X_EMAIL,
	X_ORG,
	X_CATEGORY,
	X_STATUS,
	X_RANK,
	X_SOURCE,
	X_REGISTERED,
	X_ATTENDED,
	X_NAME,
	X_COLUMNS
};

int registration_export_next(struct registration_export *e, struct db *db, json_t **chunk,
			     bool *done, struct adf_error *err)
{
	/* for a French spreadsheet ("NOM", "Prénom" apart, as a sheet reads
	 * people); for other tools, the protocol's keys (the import reads
	 * both) */
	static const char *const french[X_COLUMNS] = {
	    "n°",	    "civilité",	  "NOM",	"prénom",	  "e-mail",
	    "organisation", "catégorie",  "statut",	"rang d'attente", "inscrit par",
	    "inscrit le",   "présent le", "nom complet"};
	static const char *const keys[X_COLUMNS] = {
	    "id",	"civility", "last_name", "first_name", "email",		"organisation",
	    "category", "status",   "position",	 "source",     "registered_at", "attended_at",
	    "name"};
	const char *const *headers = e->french ? french : keys;
	/* the French sheet leaves out the whole name, given by its parts */
	int columns = e->french ? X_NAME : X_COLUMNS;
	char *text = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);
	if (!out)
		return adf_fail(err, ADF_E_INTERNAL, "out of memory");
	if (!e->started) {
		if (e->bom)
			fputs("\xEF\xBB\xBF", out);
		if (e->csv) {
			for (int i = 0; i < columns; i++)
				csv_cell(out, headers[i], e->sep, i == 0);
			fputs("\r\n", out);
		} else {
			fputs("[", out);
		}
		e->started = true;
	}
	/* the waiting list numbered in one pass, as registration_list does */
	sqlite3_stmt *st = db_query(
	    db, err,
	    "SELECT id, civility, last_name, first_name, email, organisation, category, status,"
	    " position, source, registered_at, attended_at, name FROM (SELECT r.*, CASE WHEN"
	    " r.status = 'waitlisted' THEN row_number() OVER (PARTITION BY r.status = 'waitlisted'"
	    " ORDER BY r.queued_at, r.id) END AS position FROM registration r"
	    " WHERE r.atelier_id = ?) WHERE id > ? ORDER BY id LIMIT ?",
	    "III", e->atelier, e->after, (long long)EXPORT_CHUNK);
	int rc = st ? 0 : -1, n = 0;
	while (rc == 0 && (rc = db_step(db, st, err)) == 1) {
		rc = 0;
		n++;
		e->after = sqlite3_column_int64(st, X_ID);
		if (e->csv) {
			for (int i = 0; i < columns; i++) {
				const char *v = (const char *)sqlite3_column_text(st, i);
				char when[32];
				if (e->french && i == X_STATUS)
					v = status_fr(v);
				else if (e->french && i == X_CATEGORY)
					v = category_fr(
					    v, (const char *)sqlite3_column_text(st, X_CIVILITY));
				else if (e->french && i == X_SOURCE)
					v = source_fr(v);
				else if (e->french && (i == X_REGISTERED || i == X_ATTENDED) &&
					 paris_from_utc(v, when, sizeof when))
					v = when;
				csv_cell(out, v, e->sep, i == 0);
			}
			fputs("\r\n", out);
		} else {
			json_t *row = db_row_json(st);
			char *js = json_dumps(row, JSON_COMPACT);
			fprintf(out, "%s\n%s", e->rows + n > 1 ? "," : "", js ? js : "null");
			free(js);
			json_decref(row);
		}
	}
	if (rc < 0) {
		fclose(out);
		free(text);
		return -1;
	}
	e->rows += n;
	*done = n < EXPORT_CHUNK;
	if (*done && !e->csv)
		fputs("\n]\n", out);
	fclose(out);
	*chunk = json_pack("{s:s,s:I}", "content", text, "rows", (json_int_t)e->rows);
	free(text);
	return 0;
}

struct registration_export *registration_export_open(struct work *w, long long atelier_id,
						     const char *format, char separator, bool bom)
{
	bool french = !format || !strcmp(format, "tableur"), csv = french || !strcmp(format, "csv");
	if (!work_found(atelier_get(w, atelier_id)))
		return NULL;
	struct registration_export *e = calloc(1, sizeof *e);
	if (!e) {
		work_fail(w, ADF_E_INTERNAL, "out of memory");
		return NULL;
	}
	e->atelier = atelier_id;
	e->csv = csv;
	e->french = french;
	/* a French spreadsheet splits on ';' and reads UTF-8 by its BOM */
	e->sep = separator ? separator : french ? ';' : ',';
	e->bom = bom || french;
	return e;
}
