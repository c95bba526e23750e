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

/* The Département, Atelier and session of fields exist and agree; the
 * Atelier of a session given alone is its own. Returns the Atelier (a new
 * reference, or NULL for none) in *atelier; -1 with w->err. */
static int check_links(struct work *w, json_t *fields, json_t **atelier)
{
	*atelier = NULL;
	json_t *given = json_object_get(fields, "atelier");
	json_t *session = json_object_get(fields, "session");
	if (exists(w, "SELECT count(*) FROM departement WHERE code = ?",
		   json_object_get(fields, "departement"), "Département") < 0 ||
	    exists(w, "SELECT count(*) FROM atelier WHERE id = ?", given, "Atelier") < 0 ||
	    exists(w, "SELECT count(*) FROM session WHERE id = ?", session, "session") < 0)
		return -1;
	if (given && session &&
	    db_scalar(w->db, &w->err, "SELECT atelier_id FROM session WHERE id = ?", "j",
		      session) != json_integer_value(given))
		return work_fail(w, ADF_E_BAD_REQUEST, "session %lld is not part of Atelier %lld",
				 (long long)json_integer_value(session),
				 (long long)json_integer_value(given));
	if (session && !given)
		*atelier = json_integer(db_scalar(
		    w->db, &w->err, "SELECT atelier_id FROM session WHERE id = ?", "j", session));
	else
		*atelier = json_incref(given);
	return 0;
}

json_t *practice_add(struct work *w, json_t *fields)
{
	char now[21];
	json_t *atelier;
	if (check_links(w, fields, &atelier) < 0)
		return NULL;
	db_now(now);
	int rc = db_exec(w->db, &w->err,
			 "INSERT INTO practice (departement, title, theme, summary, atelier_id,"
			 " session_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
			 "jjjjjjs", json_object_get(fields, "departement"),
			 json_object_get(fields, "title"), json_object_get(fields, "theme"),
			 json_object_get(fields, "summary"), atelier,
			 json_object_get(fields, "session"), now);
	json_decref(atelier);
	if (rc < 0)
		return NULL;
	long long id = db_last_id(w->db);
	snprintf(w->target, sizeof w->target, "practice:%lld", id);
	return practice_get(w, id);
}

json_t *practice_update(struct work *w, long long id, json_t *changes)
{
	json_t *row = practice_get(w, id);
	if (!row)
		return NULL;
	snprintf(w->target, sizeof w->target, "practice:%lld", id);
	/* what is given over what is there; a new session brings its Atelier
	 * unless one is given */
	json_t *fields = json_pack(
	    "{s:O,s:O,s:O,s:O,s:O,s:O}", "departement", json_object_get(row, "departement"),
	    "title", json_object_get(row, "title"), "theme", json_object_get(row, "theme"),
	    "summary", json_object_get(row, "summary"), "atelier", json_object_get(row, "atelier"),
	    "session", json_object_get(row, "session"));
	json_decref(row);
	if (json_object_get(changes, "session") && !json_object_get(changes, "atelier"))
		json_object_del(fields, "atelier");
	/* an Atelier given alone leaves the session of another Atelier */
	if (json_object_get(changes, "atelier") && !json_object_get(changes, "session"))
		json_object_del(fields, "session");
	const char *key;
	json_t *v;
	json_object_foreach(changes, key, v) if (strcmp(key, "id")) json_object_set(fields, key, v);
	/* none recorded: none to check */
	void *tmp;
	json_object_foreach_safe(fields, tmp, key, v) if (json_is_null(v))
	    json_object_del(fields, key);
	json_t *atelier;
	if (check_links(w, fields, &atelier) < 0) {
		json_decref(fields);
		return NULL;
	}
	int rc = db_exec(w->db, &w->err,
			 "UPDATE practice SET departement = ?, title = ?, theme = ?, summary = ?,"
			 " atelier_id = ?, session_id = ? WHERE id = ?",
			 "jjjjjjI", json_object_get(fields, "departement"),
			 json_object_get(fields, "title"), json_object_get(fields, "theme"),
			 json_object_get(fields, "summary"), atelier,
			 json_object_get(fields, "session"), id);
	json_decref(atelier);
	json_decref(fields);
	return rc < 0 ? NULL : practice_get(w, id);
}

json_t *practice_delete(struct work *w, long long id)
{
	json_t *row = practice_get(w, id);
	if (!row)
		return NULL;
	json_decref(row);
	snprintf(w->target, sizeof w->target, "practice:%lld", id);
	return work_deleted(
	    w, db_exec(w->db, &w->err, "DELETE FROM practice WHERE id = ?", "I", id), id);
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
static int departement_named(struct work *w, const char *typed, char code[4], char *rest, size_t n,
			     char *named, size_t nn)
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
		snprintf(named, nn, "%s", name);
		memset(at, ' ', strlen(needle));
		snprintf(rest, n, "%s", padded);
	}
	json_decref(all);
	return 0;
}

/* The practices whose text matches query (FTS5 terms), of one Département
 * (code) or all, best first, with a snippet. */
static json_t *text_matches(struct work *w, const char *query, const char *code, long long limit)
{
	return db_rows_json(
	    w->db,
	    db_query(w->db, &w->err,
		     "SELECT p.id, p.departement, d.name AS departement_name, p.title, p.theme,"
		     " snippet(practice_fts, -1, '[', ']', '…', 12) AS snippet,"
		     " practice_fts.rank AS rank"
		     " FROM practice_fts JOIN practice p ON p.id = practice_fts.rowid"
		     " JOIN departement d ON d.code = p.departement"
		     " WHERE practice_fts MATCH ?1 AND (?2 IS NULL OR p.departement = ?2)"
		     " ORDER BY practice_fts.rank LIMIT ?3",
		     "ssI", query, code, limit),
	    &w->err);
}

json_t *practice_search(struct work *w, const char *typed, long long limit)
{
	char code[4], rest[520], named[136] = "";
	if (departement_named(w, typed, code, rest, sizeof rest, named, sizeof named) < 0)
		return NULL;
	char *query = fts_query(rest);
	if (!query && !code[0]) {
		work_fail(w, ADF_E_BAD_REQUEST, "query: no word to search for");
		return NULL;
	}
	/* the Département's practices (those with the other words, if any) */
	json_t *found =
	    query ? text_matches(w, query, code[0] ? code : NULL, limit)
		  : db_rows_json(w->db,
				 db_query(w->db, &w->err,
					  PRACTICE_SELECT " WHERE p.departement = ? ORDER BY p.id"
							  " LIMIT ?",
					  "sI", code, limit),
				 &w->err);
	free(query);
	if (!found || !code[0])
		return found;
	/* then the texts that name it: "puy-de-dome" finds a Drôme practice
	 * that speaks of the Puy-de-Dôme */
	/* the name as a phrase ("puy de dome": not every word beginning with
	 * "de"), and the other words as typed */
	char *others = fts_query(rest), *words = NULL;
	size_t wl = 0;
	FILE *f = open_memstream(&words, &wl);
	if (f) {
		fprintf(f, "\"%s\"%s%s", named, others ? " " : "", others ? others : "");
		fclose(f);
	}
	free(others);
	json_t *naming = words ? text_matches(w, words, NULL, limit) : json_array();
	free(words);
	if (!naming) {
		json_decref(found);
		return NULL;
	}
	size_t i, j;
	json_t *p, *q;
	json_array_foreach(naming, i, p)
	{
		bool listed = false;
		json_array_foreach(found, j, q) listed |= json_int(q, "id") == json_int(p, "id");
		if (!listed && (long long)json_array_size(found) < limit)
			json_array_append(found, p);
	}
	json_decref(naming);
	return found;
}
