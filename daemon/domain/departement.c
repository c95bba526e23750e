/* The Départements of France, the tour's hosts (schema/002). */
#include "config.h"

#include "atelier.h"
#include "db.h"
#include "departement.h"
#include "text.h"
#include "work.h"

json_t *departement_list(struct work *w, json_t *region)
{
	/* INSEE order: "2A" and "2B" sort between "19" and "21" as codes do. */
	sqlite3_stmt *st = db_query(w->db, &w->err,
				    "SELECT code, name, region FROM departement"
				    " WHERE ?1 IS NULL OR region = ?1 COLLATE NOCASE"
				    " ORDER BY replace(replace(code, '2A', '20.1'), '2B', '20.2')"
				    " COLLATE BINARY",
				    "j", region);
	return db_rows_json(w->db, st, &w->err);
}

json_t *departement_show(struct work *w, json_t *code)
{
	json_t *dept = work_row(
	    w,
	    db_query(w->db, &w->err, "SELECT code, name, region FROM departement WHERE code = ?",
		     "j", code),
	    "unknown Département %s", json_string_value(code));
	return json_with(dept, "ateliers", dept ? atelier_list_json(w, NULL, NULL, code) : NULL);
}
