/* The numbers of the "bilan": registrations by status and category, fill
 * and attendance rates, per Atelier and across a cycle. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "atelier.h"
#include "db.h"
#include "stats.h"
#include "survey.h"
#include "work.h"

/* Attendance means something once the Atelier has begun (or was held):
 * before, nobody is expected to have checked in. */
static bool took_place(json_t *atelier)
{
	char now[21];
	db_now(now);
	const char *status = json_string_value(json_object_get(atelier, "status"));
	const char *starts = json_string_value(json_object_get(atelier, "starts_at"));
	return !strcmp(status, "held") || (starts && strcmp(starts, now) <= 0);
}

/* Counts of one Atelier's registrations by status, and the rates. */
static json_t *counts(struct work *w, json_t *a)
{
	long long atelier = json_integer_value(json_object_get(a, "id"));
	long long capacity = json_integer_value(json_object_get(a, "capacity"));
	sqlite3_stmt *st = db_query(w->db, &w->err,
				    "SELECT count(*) FILTER (WHERE status = 'confirmed'),"
				    " count(*) FILTER (WHERE status = 'waitlisted'),"
				    " count(*) FILTER (WHERE status = 'cancelled'),"
				    " count(*) FILTER (WHERE status = 'attended')"
				    " FROM registration WHERE atelier_id = ?",
				    "I", atelier);
	if (!st || db_step(w->db, st, &w->err) != 1)
		return NULL;
	long long confirmed = sqlite3_column_int64(st, 0), waitlisted = sqlite3_column_int64(st, 1);
	long long cancelled = sqlite3_column_int64(st, 2), attended = sqlite3_column_int64(st, 3);
	sqlite3_reset(st);
	long long seated = confirmed + attended;
	/* those with a seat first: checked in, they leave "confirmed" for
	 * "attended", and a confirmed count beside a larger attended one
	 * reads wrong without it */
	json_t *c =
	    json_pack("{s:I,s:I,s:I,s:I,s:I,s:I,s:I}", "capacity", (json_int_t)capacity, "seated",
		      (json_int_t)seated, "confirmed", (json_int_t)confirmed, "attended",
		      (json_int_t)attended, "waitlisted", (json_int_t)waitlisted, "cancelled",
		      (json_int_t)cancelled, "seats_left",
		      (json_int_t)(capacity > seated ? capacity - seated : 0));
	json_object_set_new(c, "fill_rate",
			    capacity > 0 ? json_real((double)seated / (double)capacity)
					 : json_null());
	/* who came among those who had a seat */
	json_object_set_new(c, "attendance_rate",
			    seated > 0 && took_place(a)
				? json_real((double)attended / (double)seated)
				: json_null());
	return c;
}

static json_t *by_category(struct work *w, const char *where, long long key)
{
	sqlite3_stmt *st;
	if (!strcmp(where, "atelier"))
		st = db_query(w->db, &w->err,
			      "SELECT category, count(*) FILTER (WHERE status <> 'cancelled'),"
			      " count(*) FILTER (WHERE status = 'attended') FROM registration"
			      " WHERE atelier_id = ? GROUP BY category ORDER BY category",
			      "I", key);
	else
		st =
		    db_query(w->db, &w->err,
			     "SELECT g.category, count(*) FILTER (WHERE g.status <> 'cancelled'),"
			     " count(*) FILTER (WHERE g.status = 'attended') FROM registration g"
			     " JOIN atelier a ON a.id = g.atelier_id WHERE a.cycle_id = ?"
			     " AND a.status <> 'cancelled' GROUP BY g.category ORDER BY g.category",
			     "I", key);
	if (!st)
		return NULL;
	json_t *out = json_object();
	int rc;
	while ((rc = db_step(w->db, st, &w->err)) == 1)
		json_object_set_new(out, (const char *)sqlite3_column_text(st, 0),
				    json_pack("{s:I,s:I}", "registered",
					      (json_int_t)sqlite3_column_int64(st, 1), "attended",
					      (json_int_t)sqlite3_column_int64(st, 2)));
	if (rc < 0) {
		json_decref(out);
		return NULL;
	}
	return out;
}

json_t *stats_atelier(struct work *w, long long id)
{
	json_t *a = atelier_get(w, id);
	if (!a)
		return NULL;
	json_t *c = counts(w, a);
	json_t *cat = c ? by_category(w, "atelier", id) : NULL;
	if (!cat) {
		json_decref(c);
		json_decref(a);
		return NULL;
	}
	json_t *answer = json_pack("{s:I,s:O?,s:O?,s:O?}", "atelier", (json_int_t)id, "title",
				   json_object_get(a, "title"), "city", json_object_get(a, "city"),
				   "date", json_object_get(a, "date"));
	json_object_update(answer, c);
	json_object_set_new(answer, "by_category", cat);
	/* what those who came thought, anonymous */
	json_t *survey = survey_results(w, id, false);
	if (!survey) {
		json_decref(answer);
		answer = NULL;
	} else {
		json_object_set_new(answer, "survey", survey);
	}
	json_decref(c);
	json_decref(a);
	return answer;
}

json_t *stats_cycle(struct work *w, long long id)
{
	json_t *cycle = json_integer(id);
	json_t *ateliers = atelier_list_json(w, cycle, NULL, NULL);
	json_decref(cycle);
	if (!ateliers)
		return NULL;
	if (db_scalar(w->db, &w->err, "SELECT count(*) FROM cycle WHERE id = ?", "I", id) != 1) {
		json_decref(ateliers);
		work_fail(w, ADF_E_NOT_FOUND, "no cycle %lld", id);
		return NULL;
	}
	json_t *rows = json_array();
	long long totals[5] = {0}; /* capacity, confirmed, waitlisted, cancelled, attended */
	static const char *const keys[5] = {"capacity", "confirmed", "waitlisted", "cancelled",
					    "attended"};
	/* the rates count only the Ateliers that took place: the seats of
	 * those to come are not empty yet */
	long long seated_past = 0, attended_past = 0, capacity_past = 0;
	size_t i;
	json_t *a;
	int rc = 0;
	json_array_foreach(ateliers, i, a)
	{
		/* the bilan tells Ateliers announced: not drafts, not cancelled */
		const char *status = json_string_value(json_object_get(a, "status"));
		if (!strcmp(status, "cancelled") || !strcmp(status, "draft"))
			continue;
		long long aid = json_integer_value(json_object_get(a, "id"));
		json_t *c = counts(w, a);
		if (!c) {
			rc = -1;
			break;
		}
		for (int k = 0; k < 5; k++)
			totals[k] += json_integer_value(json_object_get(c, keys[k]));
		if (took_place(a)) {
			capacity_past += json_integer_value(json_object_get(c, "capacity"));
			attended_past += json_integer_value(json_object_get(c, "attended"));
			seated_past += json_integer_value(json_object_get(c, "attended")) +
				       json_integer_value(json_object_get(c, "confirmed"));
		}
		json_t *row =
		    json_pack("{s:I,s:O?,s:O?,s:O?}", "atelier", (json_int_t)aid, "date",
			      json_object_get(a, "date"), "city", json_object_get(a, "city"),
			      "departement_name", json_object_get(a, "departement_name"));
		json_object_update(row, c);
		json_decref(c);
		json_array_append_new(rows, row);
	}
	json_decref(ateliers);
	json_t *cat = rc == 0 ? by_category(w, "cycle", id) : NULL;
	if (!cat) {
		json_decref(rows);
		return NULL;
	}
	json_t *total = json_object();
	for (int k = 0; k < 5; k++) {
		json_object_set_new(total, keys[k], json_integer(totals[k]));
		if (k == 0)
			json_object_set_new(total, "seated", json_integer(totals[1] + totals[4]));
	}
	json_object_set_new(total, "fill_rate",
			    capacity_past ? json_real((double)seated_past / (double)capacity_past)
					  : json_null());
	json_object_set_new(total, "attendance_rate",
			    seated_past ? json_real((double)attended_past / (double)seated_past)
					: json_null());
	return json_pack("{s:I,s:o,s:o,s:o}", "cycle", (json_int_t)id, "total", total,
			 "by_category", cat, "ateliers", rows);
}
