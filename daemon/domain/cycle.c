#include "config.h"

#include <stdio.h>
#include <string.h>

#include "atelier.h"
#include "cycle.h"
#include "db.h"
#include "text.h"
#include "work.h"

#define CYCLE_SELECT                                                                               \
	"SELECT c.id, c.name, c.first_month, c.last_month, c.created_at,"                          \
	" (SELECT count(*) FROM atelier a WHERE a.cycle_id = c.id"                                 \
	"  AND a.status <> 'cancelled') AS ateliers FROM cycle c"

json_t *cycle_get(struct work *w, long long id)
{
	return work_row(w, db_query(w->db, &w->err, CYCLE_SELECT " WHERE c.id = ?", "I", id),
			"no cycle %lld", id);
}

#define CYCLE_MAX_MONTHS 36

static int check_months(struct work *w, const char *from, const char *to)
{
	if (strcmp(from, to) > 0)
		return work_fail(w, ADF_E_BAD_REQUEST, "the first month %s is after the last %s",
				 from, to);
	/* a cycle is a season of the tour; bounding it also bounds tour plan
	 * (fuzzing found a century-long cycle planned for seconds) */
	int fy, fm, ty, tm;
	if (sscanf(from, "%d-%d", &fy, &fm) == 2 && sscanf(to, "%d-%d", &ty, &tm) == 2 &&
	    (ty - fy) * 12 + tm - fm + 1 > CYCLE_MAX_MONTHS)
		return work_fail(w, ADF_E_BAD_REQUEST,
				 "a cycle spans at most %d months; %s..%s spans %d",
				 CYCLE_MAX_MONTHS, from, to, (ty - fy) * 12 + tm - fm + 1);
	return 0;
}

static int check_name_free(struct work *w, const char *name, long long self)
{
	long long other = db_scalar(
	    w->db, &w->err, "SELECT id FROM cycle WHERE name = ? AND id <> ?", "sI", name, self);
	if (other < 0)
		return -1;
	if (other > 0)
		return work_fail(w, ADF_E_CONFLICT, "a cycle named \"%s\" already exists (#%lld)",
				 name, other);
	return 0;
}

json_t *cycle_add(struct work *w, const char *name, const char *from, const char *to)
{
	char now[21];
	if (check_months(w, from, to) < 0 || check_name_free(w, name, 0) < 0)
		return NULL;
	db_now(now);
	if (db_exec(w->db, &w->err,
		    "INSERT INTO cycle (name, first_month, last_month, created_at)"
		    " VALUES (?, ?, ?, ?)",
		    "ssss", name, from, to, now) < 0)
		return NULL;
	long long id = db_last_id(w->db);
	snprintf(w->target, sizeof w->target, "cycle:%lld", id);
	return cycle_get(w, id);
}

json_t *cycle_list(struct work *w)
{
	sqlite3_stmt *st =
	    db_query(w->db, &w->err, CYCLE_SELECT " ORDER BY c.first_month, c.id", "");
	return db_rows_json(w->db, st, &w->err);
}

json_t *cycle_show(struct work *w, long long id)
{
	json_t *cycle = cycle_get(w, id), *key = json_integer(id);
	json_t *list = cycle ? atelier_list_json(w, key, NULL, NULL) : NULL;
	json_decref(key);
	return json_with(cycle, "ateliers_list", list);
}

/* A NULL name or month keeps the cycle's own. */
json_t *cycle_update(struct work *w, long long id, const char *name, const char *from,
		     const char *to)
{
	snprintf(w->target, sizeof w->target, "cycle:%lld", id);
	json_t *row = cycle_get(w, id);
	if (!row)
		return NULL;
	name = name ? name : json_string_value(json_object_get(row, "name"));
	from = from ? from : json_string_value(json_object_get(row, "first_month"));
	to = to ? to : json_string_value(json_object_get(row, "last_month"));
	int rc = check_months(w, from, to);
	if (rc == 0)
		rc = check_name_free(w, name, id);
	/* Narrowing the months must not strand an Atelier outside them. */
	if (rc == 0) {
		long long outside = db_scalar(w->db, &w->err,
					      "SELECT count(*) FROM atelier WHERE cycle_id = ?"
					      " AND status <> 'cancelled' AND"
					      " (substr(date, 1, 7) < ? OR substr(date, 1, 7) > ?)",
					      "Iss", id, from, to);
		if (outside < 0)
			rc = -1;
		else if (outside > 0)
			rc = work_fail(w, ADF_E_CONFLICT,
				       "%lld Atelier(s) of this cycle fall outside %s to %s",
				       outside, from, to);
	}
	if (rc == 0)
		rc = db_exec(
		    w->db, &w->err,
		    "UPDATE cycle SET name = ?, first_month = ?, last_month = ? WHERE id = ?",
		    "sssI", name, from, to, id);
	json_decref(row);
	return rc < 0 ? NULL : cycle_get(w, id);
}

json_t *cycle_delete(struct work *w, long long id)
{
	snprintf(w->target, sizeof w->target, "cycle:%lld", id);
	if (!work_found(cycle_get(w, id)))
		return NULL;
	long long held =
	    db_scalar(w->db, &w->err, "SELECT count(*) FROM atelier WHERE cycle_id = ?", "I", id);
	if (held < 0)
		return NULL;
	if (held > 0) {
		work_fail(w, ADF_E_CONFLICT, "cycle %lld holds %lld Atelier(s): cannot delete it",
			  id, held);
		return NULL;
	}
	return work_deleted(w, db_exec(w->db, &w->err, "DELETE FROM cycle WHERE id = ?", "I", id),
			    id);
}
