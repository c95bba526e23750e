/* Good practices ("bonnes pratiques") of the Départements, found by
 * full-text search that folds case and accents. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "practice.h"
#include "text.h"
#include "work.h"

#define PRACTICE_SELECT                                                                            \
	"SELECT p.id, p.departement, d.name AS departement_name, p.title, p.theme, p.summary,"     \
	" p.atelier_id AS atelier, p.session_id AS session, p.created_at FROM practice p"          \
	" JOIN departement d ON d.code = p.departement"

json_t *practice_get(struct work *w, long long id)
{
	json_t *row =
	    work_row(w, db_query(w->db, &w->err, PRACTICE_SELECT " WHERE p.id = ?", "I", id),
		     "no good practice %lld", id);
	return row;
}

static int exists(struct work *w, const char *sql, json_t *key, const char *what)
{
	if (!key)
		return 0;
	long long n = db_scalar(w->db, &w->err, sql, "j", key);
	if (n < 0)
		return -1;
	if (n == 0) {
		char *text = json_dumps(key, JSON_ENCODE_ANY);
		work_fail(w, ADF_E_NOT_FOUND, "unknown %s %s", what, text ? text : "");
		free(text);
		return -1;
	}
	return 0;
}

json_t *practice_add(struct work *w, json_t *fields)
{
	char now[21];
	json_t *atelier = json_object_get(fields, "atelier");
	json_t *session = json_object_get(fields, "session");
	if (exists(w, "SELECT count(*) FROM departement WHERE code = ?",
		   json_object_get(fields, "departement"), "Département") < 0 ||
	    exists(w, "SELECT count(*) FROM atelier WHERE id = ?", atelier, "Atelier") < 0 ||
	    exists(w, "SELECT count(*) FROM session WHERE id = ?", session, "session") < 0)
		return NULL;
	if (atelier && session &&
	    db_scalar(w->db, &w->err, "SELECT atelier_id FROM session WHERE id = ?", "j",
		      session) != json_integer_value(atelier)) {
		work_fail(w, ADF_E_BAD_REQUEST, "session %lld is not part of Atelier %lld",
			  (long long)json_integer_value(session),
			  (long long)json_integer_value(atelier));
		return NULL;
	}
	if (session && !atelier)
		atelier = json_integer(db_scalar(
		    w->db, &w->err, "SELECT atelier_id FROM session WHERE id = ?", "j", session));
	else
		json_incref(atelier);
	db_now(now);
	int rc = db_exec(w->db, &w->err,
			 "INSERT INTO practice (departement, title, theme, summary, atelier_id,"
			 " session_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
			 "jjjjjjs", json_object_get(fields, "departement"),
			 json_object_get(fields, "title"), json_object_get(fields, "theme"),
			 json_object_get(fields, "summary"), atelier, session, now);
	json_decref(atelier);
	if (rc < 0)
		return NULL;
	long long id = db_last_id(w->db);
	snprintf(w->target, sizeof w->target, "practice:%lld", id);
	return practice_get(w, id);
}

json_t *practice_list(struct work *w, json_t *departement)
{
	sqlite3_stmt *st = db_query(w->db, &w->err,
				    PRACTICE_SELECT " WHERE ?1 IS NULL OR p.departement = ?1"
						    " ORDER BY p.departement, p.id",
				    "j", departement);
	return db_rows_json(w->db, st, &w->err);
}

/* What a person types becomes quoted FTS5 terms, each a prefix, all
 * required: no FTS syntax of theirs reaches the query parser. */
static char *fts_query(const char *typed)
{
	char *q = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&q, &len);
	if (!f)
		return NULL;
	const unsigned char *p = (const unsigned char *)typed;
	bool any = false;
	while (*p) {
		/* letters and digits, any non-ASCII byte (accented letters) */
		while (*p && !(*p >= 0x80 || (*p >= '0' && *p <= '9') ||
			       ((*p | 32) >= 'a' && (*p | 32) <= 'z')))
			p++;
		if (!*p)
			break;
		fputs(any ? " \"" : "\"", f);
		while (*p >= 0x80 || (*p >= '0' && *p <= '9') ||
		       ((*p | 32) >= 'a' && (*p | 32) <= 'z'))
			fputc(*p++, f);
		fputs("\"*", f);
		any = true;
	}
	fclose(f);
	if (!any) {
		free(q);
		return NULL;
	}
	return q;
}

/* A Département named in what was typed, as an organiser types it
 * ("lozere", "seine-saint-denis", "Côtes d'Armor"): its code into code,
 * and the rest of the words into rest. */
static int departement_named(struct work *w, const char *typed, char code[4], char *rest, size_t n)
{
	char folded[480];
	text_fold(typed, folded, sizeof folded);
	snprintf(rest, n, "%s", typed);
	code[0] = '\0';
	json_t *all = db_rows_json(
	    w->db, db_query(w->db, &w->err, "SELECT code, name FROM departement", ""), &w->err);
	if (!all)
		return -1;
	size_t i, best = 0;
	json_t *d;
	json_array_foreach(all, i, d)
	{
		char name[128], padded[520], needle[136];
		text_fold(json_str(d, "name"), name, sizeof name);
		snprintf(padded, sizeof padded, " %s ", folded);
		snprintf(needle, sizeof needle, " %s ", name);
		char *at = strstr(padded, needle);
		/* the longest name wins: "seine saint denis" over "seine" */
		if (!at || strlen(name) <= best)
			continue;
		best = strlen(name);
		snprintf(code, 4, "%s", json_str(d, "code"));
		memset(at, ' ', strlen(needle));
		snprintf(rest, n, "%s", padded);
	}
	json_decref(all);
	return 0;
}

json_t *practice_search(struct work *w, const char *typed, long long limit)
{
	char code[4], rest[520];
	if (departement_named(w, typed, code, rest, sizeof rest) < 0)
		return NULL;
	char *query = fts_query(rest);
	if (!query && code[0])
		/* a Département alone: its practices */
		return db_rows_json(w->db,
				    db_query(w->db, &w->err,
					     PRACTICE_SELECT
					     " WHERE p.departement = ? ORDER BY p.id"
					     " LIMIT ?",
					     "sI", code, limit),
				    &w->err);
	if (!query) {
		work_fail(w, ADF_E_BAD_REQUEST, "query: no word to search for");
		return NULL;
	}
	sqlite3_stmt *st = db_query(
	    w->db, &w->err,
	    "SELECT p.id, p.departement, d.name AS departement_name, p.title, p.theme,"
	    " snippet(practice_fts, -1, '[', ']', '…', 12) AS snippet, practice_fts.rank AS rank"
	    " FROM practice_fts JOIN practice p ON p.id = practice_fts.rowid"
	    " JOIN departement d ON d.code = p.departement"
	    " WHERE practice_fts MATCH ?1 AND (?2 IS NULL OR p.departement = ?2)"
	    " ORDER BY practice_fts.rank LIMIT ?3",
	    "ssI", query, code[0] ? code : NULL, limit);
	free(query);
	return db_rows_json(w->db, st, &w->err);
}
