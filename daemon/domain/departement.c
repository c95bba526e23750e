#include "config.h"

#include "atelier.h"
#include "db.h"
#include "dispatch.h"
#include "handlers.h"

int h_departement_list(struct req *r)
{
	/* INSEE order: "2A" and "2B" sort between "19" and "21" as codes do. */
	sqlite3_stmt *st = db_query(r->db, &r->err,
				    "SELECT code, name, region FROM departement"
				    " WHERE ?1 IS NULL OR region = ?1 COLLATE NOCASE"
				    " ORDER BY replace(replace(code, '2A', '20.1'), '2B', '20.2')"
				    " COLLATE BINARY",
				    "j", json_object_get(r->args, "region"));
	r->data = db_rows_json(r->db, st, &r->err);
	return r->data ? 0 : -1;
}

int h_departement_show(struct req *r)
{
	json_t *code = json_object_get(r->args, "code");
	sqlite3_stmt *st = db_query(
	    r->db, &r->err, "SELECT code, name, region FROM departement WHERE code = ?", "j", code);
	if (!st)
		return -1;
	int rc = db_step(r->db, st, &r->err);
	if (rc == 0)
		return req_fail(r, ADF_E_NOT_FOUND, "unknown Département %s",
				json_string_value(code));
	if (rc < 0)
		return -1;
	r->data = db_row_json(st);
	sqlite3_reset(st);
	json_t *list = atelier_list_json(r, NULL, NULL, code);
	if (!list)
		return -1;
	json_object_set_new(r->data, "ateliers", list);
	return 0;
}
