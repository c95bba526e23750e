#include "config.h"

#include "db.h"
#include "dispatch.h"
#include "handlers.h"

int h_audit_list(struct req *r)
{
	sqlite3_stmt *st = db_query(r->db, &r->err,
				    "SELECT id, at, uid, command, target, outcome FROM audit"
				    " WHERE (?1 IS NULL OR at >= ?1) AND (?2 IS NULL OR uid = ?2)"
				    " ORDER BY id DESC LIMIT ?3",
				    "jjI", json_object_get(r->args, "since"),
				    json_object_get(r->args, "uid"), arg_int(r, "limit", 100));
	if (!st)
		return -1;
	r->data = json_array();
	int rc;
	while ((rc = db_step(r->db, st, &r->err)) == 1)
		json_array_append_new(r->data, db_row_json(st));
	return rc;
}
