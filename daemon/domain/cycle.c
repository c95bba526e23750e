#include "config.h"

#include <stdio.h>
#include <string.h>

#include "atelier.h"
#include "db.h"
#include "dispatch.h"
#include "handlers.h"

#define CYCLE_SELECT                                                                               \
	"SELECT c.id, c.name, c.first_month, c.last_month, c.created_at,"                          \
	" (SELECT count(*) FROM atelier a WHERE a.cycle_id = c.id"                                 \
	"  AND a.status <> 'cancelled') AS ateliers FROM cycle c"

static json_t *cycle_get(struct req *r, long long id)
{
	sqlite3_stmt *st = db_query(r->db, &r->err, CYCLE_SELECT " WHERE c.id = ?", "I", id);
	if (!st)
		return NULL;
	int rc = db_step(r->db, st, &r->err);
	if (rc == 0)
		req_fail(r, ADF_E_NOT_FOUND, "no cycle %lld", id);
	if (rc <= 0)
		return NULL;
	json_t *row = db_row_json(st);
	sqlite3_reset(st);
	return row;
}

#define CYCLE_MAX_MONTHS 36

static int check_months(struct req *r, const char *from, const char *to)
{
	if (strcmp(from, to) > 0)
		return req_fail(r, ADF_E_BAD_REQUEST, "the first month %s is after the last %s",
				from, to);
	/* a cycle is a season of the tour; bounding it also bounds tour plan
	 * (fuzzing found a century-long cycle planned for seconds) */
	int fy, fm, ty, tm;
	if (sscanf(from, "%d-%d", &fy, &fm) == 2 && sscanf(to, "%d-%d", &ty, &tm) == 2 &&
	    (ty - fy) * 12 + tm - fm + 1 > CYCLE_MAX_MONTHS)
		return req_fail(r, ADF_E_BAD_REQUEST,
				"a cycle spans at most %d months; %s..%s spans %d",
				CYCLE_MAX_MONTHS, from, to, (ty - fy) * 12 + tm - fm + 1);
	return 0;
}

static int check_name_free(struct req *r, const char *name, long long self)
{
	long long other = db_scalar(
	    r->db, &r->err, "SELECT id FROM cycle WHERE name = ? AND id <> ?", "sI", name, self);
	if (other < 0)
		return -1;
	if (other > 0)
		return req_fail(r, ADF_E_CONFLICT, "a cycle named \"%s\" already exists (#%lld)",
				name, other);
	return 0;
}

int h_cycle_add(struct req *r)
{
	char now[21];
	const char *name = arg_str(r, "name"), *from = arg_str(r, "from"), *to = arg_str(r, "to");
	if (check_months(r, from, to) < 0 || check_name_free(r, name, 0) < 0)
		return -1;
	db_now(now);
	if (db_exec(r->db, &r->err,
		    "INSERT INTO cycle (name, first_month, last_month, created_at)"
		    " VALUES (?, ?, ?, ?)",
		    "ssss", name, from, to, now) < 0)
		return -1;
	long long id = db_last_id(r->db);
	snprintf(r->target, sizeof r->target, "cycle:%lld", id);
	r->data = cycle_get(r, id);
	return r->data ? 0 : -1;
}

int h_cycle_list(struct req *r)
{
	sqlite3_stmt *st =
	    db_query(r->db, &r->err, CYCLE_SELECT " ORDER BY c.first_month, c.id", "");
	r->data = db_rows_json(r->db, st, &r->err);
	return r->data ? 0 : -1;
}

int h_cycle_show(struct req *r)
{
	long long id = arg_int(r, "id", 0);
	r->data = cycle_get(r, id);
	if (!r->data)
		return -1;
	json_t *cycle = json_integer(id);
	json_t *list = atelier_list_json(r, cycle, NULL, NULL);
	json_decref(cycle);
	if (!list)
		return -1;
	json_object_set_new(r->data, "ateliers_list", list);
	return 0;
}

int h_cycle_update(struct req *r)
{
	long long id = arg_int(r, "id", 0);
	snprintf(r->target, sizeof r->target, "cycle:%lld", id);
	json_t *row = cycle_get(r, id);
	if (!row)
		return -1;
	const char *name = arg_has(r, "name") ? arg_str(r, "name")
					      : json_string_value(json_object_get(row, "name"));
	const char *from = arg_has(r, "from")
			       ? arg_str(r, "from")
			       : json_string_value(json_object_get(row, "first_month"));
	const char *to = arg_has(r, "to") ? arg_str(r, "to")
					  : json_string_value(json_object_get(row, "last_month"));
	int rc = check_months(r, from, to);
	if (rc == 0)
		rc = check_name_free(r, name, id);
	/* Narrowing the months must not strand an Atelier outside them. */
	if (rc == 0) {
		long long outside = db_scalar(r->db, &r->err,
					      "SELECT count(*) FROM atelier WHERE cycle_id = ?"
					      " AND status <> 'cancelled' AND"
					      " (substr(date, 1, 7) < ? OR substr(date, 1, 7) > ?)",
					      "Iss", id, from, to);
		if (outside < 0)
			rc = -1;
		else if (outside > 0)
			rc = req_fail(r, ADF_E_CONFLICT,
				      "%lld Atelier(s) of this cycle fall outside %s to %s",
				      outside, from, to);
	}
	if (rc == 0)
		rc = db_exec(
		    r->db, &r->err,
		    "UPDATE cycle SET name = ?, first_month = ?, last_month = ? WHERE id = ?",
		    "sssI", name, from, to, id);
	json_decref(row);
	if (rc < 0)
		return -1;
	r->data = cycle_get(r, id);
	return r->data ? 0 : -1;
}

int h_cycle_delete(struct req *r)
{
	long long id = arg_int(r, "id", 0);
	snprintf(r->target, sizeof r->target, "cycle:%lld", id);
	json_t *row = cycle_get(r, id);
	if (!row)
		return -1;
	json_decref(row);
	long long held =
	    db_scalar(r->db, &r->err, "SELECT count(*) FROM atelier WHERE cycle_id = ?", "I", id);
	if (held < 0)
		return -1;
	if (held > 0)
		return req_fail(r, ADF_E_CONFLICT,
				"cycle %lld holds %lld Atelier(s): cannot delete it", id, held);
	if (db_exec(r->db, &r->err, "DELETE FROM cycle WHERE id = ?", "I", id) < 0)
		return -1;
	r->data = json_pack("{s:I,s:b}", "id", (json_int_t)id, "deleted", 1);
	return 0;
}
