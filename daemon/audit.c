#include "config.h"

#include "audit.h"
#include "db.h"
#include "dispatch.h"
#include "handlers.h"
#include "log.h"

void audit_add(struct db *db, long long uid, const char *command, const char *target,
	       const char *outcome)
{
	char now[21];
	struct adf_error err;
	db_now(now);
	if (db_exec(db, &err,
		    "INSERT INTO audit (at, uid, command, target, outcome) VALUES (?, ?, ?, ?, ?)",
		    "sIsss", now, uid, command, target && *target ? target : NULL, outcome) < 0)
		log_error("audit: cannot record %s by uid %lld: %s", command, uid, err.message);
}

int h_audit_list(struct req *r)
{
	sqlite3_stmt *st = db_query(r->db, &r->err,
				    "SELECT id, at, uid, command, target, outcome FROM audit"
				    " WHERE (?1 IS NULL OR at >= ?1) AND (?2 IS NULL OR uid = ?2)"
				    " ORDER BY id DESC LIMIT ?3",
				    "jjI", json_object_get(r->args, "since"),
				    json_object_get(r->args, "uid"), arg_int(r, "limit", 100));
	r->data = db_rows_json(r->db, st, &r->err);
	return r->data ? 0 : -1;
}
