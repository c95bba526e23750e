/* Good practices ("bonnes pratiques") of the Départements, found by
 * full-text search that folds case and accents. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "dispatch.h"
#include "handlers.h"

#define PRACTICE_SELECT                                                                            \
	"SELECT p.id, p.departement, d.name AS departement_name, p.title, p.theme, p.summary,"     \
	" p.atelier_id AS atelier, p.session_id AS session, p.created_at FROM practice p"          \
	" JOIN departement d ON d.code = p.departement"

static json_t *practice_get(struct req *r, long long id)
{
	sqlite3_stmt *st = db_query(r->db, &r->err, PRACTICE_SELECT " WHERE p.id = ?", "I", id);
	if (!st)
		return NULL;
	int rc = db_step(r->db, st, &r->err);
	if (rc == 0)
		req_fail(r, ADF_E_NOT_FOUND, "no good practice %lld", id);
	if (rc <= 0)
		return NULL;
	json_t *row = db_row_json(st);
	sqlite3_reset(st);
	return row;
}

static int exists(struct req *r, const char *sql, json_t *key, const char *what)
{
	if (!key)
		return 0;
	long long n = db_scalar(r->db, &r->err, sql, "j", key);
	if (n < 0)
		return -1;
	if (n == 0) {
		char *text = json_dumps(key, JSON_ENCODE_ANY);
		req_fail(r, ADF_E_NOT_FOUND, "unknown %s %s", what, text ? text : "");
		free(text);
		return -1;
	}
	return 0;
}

int h_practice_add(struct req *r)
{
	char now[21];
	json_t *atelier = json_object_get(r->args, "atelier");
	json_t *session = json_object_get(r->args, "session");
	if (exists(r, "SELECT count(*) FROM departement WHERE code = ?",
		   json_object_get(r->args, "departement"), "Département") < 0 ||
	    exists(r, "SELECT count(*) FROM atelier WHERE id = ?", atelier, "Atelier") < 0 ||
	    exists(r, "SELECT count(*) FROM session WHERE id = ?", session, "session") < 0)
		return -1;
	if (atelier && session &&
	    db_scalar(r->db, &r->err, "SELECT atelier_id FROM session WHERE id = ?", "j",
		      session) != json_integer_value(atelier))
		return req_fail(r, ADF_E_BAD_REQUEST, "session %lld is not part of Atelier %lld",
				(long long)json_integer_value(session),
				(long long)json_integer_value(atelier));
	if (session && !atelier)
		atelier = json_integer(db_scalar(
		    r->db, &r->err, "SELECT atelier_id FROM session WHERE id = ?", "j", session));
	else
		json_incref(atelier);
	db_now(now);
	int rc = db_exec(r->db, &r->err,
			 "INSERT INTO practice (departement, title, theme, summary, atelier_id,"
			 " session_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
			 "jjjjjjs", json_object_get(r->args, "departement"),
			 json_object_get(r->args, "title"), json_object_get(r->args, "theme"),
			 json_object_get(r->args, "summary"), atelier, session, now);
	json_decref(atelier);
	if (rc < 0)
		return -1;
	long long id = db_last_id(r->db);
	snprintf(r->target, sizeof r->target, "practice:%lld", id);
	r->data = practice_get(r, id);
	return r->data ? 0 : -1;
}

int h_practice_show(struct req *r)
{
	r->data = practice_get(r, arg_int(r, "id", 0));
	return r->data ? 0 : -1;
}

int h_practice_list(struct req *r)
{
	sqlite3_stmt *st = db_query(r->db, &r->err,
				    PRACTICE_SELECT " WHERE ?1 IS NULL OR p.departement = ?1"
						    " ORDER BY p.departement, p.id",
				    "j", json_object_get(r->args, "departement"));
	r->data = db_rows_json(r->db, st, &r->err);
	return r->data ? 0 : -1;
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

int h_practice_search(struct req *r)
{
	char *query = fts_query(arg_str(r, "query"));
	if (!query)
		return req_fail(r, ADF_E_BAD_REQUEST, "query: no word to search for");
	sqlite3_stmt *st = db_query(
	    r->db, &r->err,
	    "SELECT p.id, p.departement, d.name AS departement_name, p.title, p.theme,"
	    " snippet(practice_fts, -1, '[', ']', '…', 12) AS snippet, practice_fts.rank AS rank"
	    " FROM practice_fts JOIN practice p ON p.id = practice_fts.rowid"
	    " JOIN departement d ON d.code = p.departement"
	    " WHERE practice_fts MATCH ? ORDER BY practice_fts.rank LIMIT ?",
	    "sI", query, arg_int(r, "limit", 20));
	free(query);
	r->data = db_rows_json(r->db, st, &r->err);
	return r->data ? 0 : -1;
}
