#include "config.h"

#include <time.h>
#include <unistd.h>

#include "db.h"
#include "handlers.h"
#include "request.h"
#include "server.h"

int h_status(struct req *r)
{
	struct adfd *d = r->w.adfd;
	sqlite3_stmt *st = db_query(r->w.db, &r->w.err,
				    "SELECT (SELECT count(*) FROM cycle),"
				    " (SELECT count(*) FROM atelier WHERE status = 'draft'),"
				    " (SELECT count(*) FROM atelier WHERE status = 'scheduled'),"
				    " (SELECT count(*) FROM atelier WHERE status = 'held'),"
				    " (SELECT count(*) FROM atelier WHERE status = 'cancelled')",
				    "");
	if (!st || db_step(r->w.db, st, &r->w.err) != 1)
		return -1;
	json_t *ateliers =
	    json_pack("{s:I,s:I,s:I,s:I}", "draft", (json_int_t)sqlite3_column_int64(st, 1),
		      "scheduled", (json_int_t)sqlite3_column_int64(st, 2), "held",
		      (json_int_t)sqlite3_column_int64(st, 3), "cancelled",
		      (json_int_t)sqlite3_column_int64(st, 4));
	json_int_t cycles = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	r->data = json_pack("{s:s,s:i,s:i,s:I,s:s,s:s,s:i,s:I,s:o,s:i,s:I,s:s}", "version",
			    PACKAGE_VERSION, "protocol", ADF_PROTO_VERSION, "pid", (int)getpid(),
			    "uptime", (json_int_t)(time(NULL) - d->started), "socket",
			    d->cfg.socket_path, "database", d->cfg.database, "schema",
			    db_schema_version(r->w.db), "cycles", cycles, "ateliers", ateliers,
			    "clients", server_client_count(d->server), "your_uid",
			    (json_int_t)r->peer->uid, "your_role", cmd_role_name(r->peer->role));
	return r->data ? 0 : -1;
}
