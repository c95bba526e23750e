#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "atelier.h"
#include "date.h"
#include "db.h"
#include "dispatch.h"
#include "handlers.h"
#include "paris.h"
#include "registration.h"

/* The edition follows date order among the cycle's announced Ateliers
 * (scheduled or held): a draft is not announced yet, a cancelled one will
 * not take place. It is computed when read, never stored stale; a change
 * that would renumber an announced Atelier must be forced (see
 * renumbered()). */
#define ATELIER_SELECT                                                                             \
	"SELECT a.id, a.cycle_id AS cycle, c.name AS cycle_name, a.departement,"                   \
	" d.name AS departement_name, d.region, a.title, a.date, a.start_time AS time,"            \
	" a.end_time AS \"end\", a.starts_at, a.venue, a.city, a.capacity, a.status,"              \
	" a.cancel_reason, a.sequence, a.created_at, a.updated_at,"                                \
	" CASE WHEN a.status IN ('scheduled', 'held') AND a.cycle_id IS NOT NULL THEN"             \
	"  (SELECT count(*) FROM atelier b WHERE b.cycle_id = a.cycle_id"                          \
	"   AND b.status IN ('scheduled', 'held') AND (b.date < a.date OR (b.date = a.date"        \
	"   AND (b.start_time < a.start_time OR (b.start_time = a.start_time"                      \
	"   AND b.id <= a.id))))) END AS edition"                                                  \
	" FROM atelier a LEFT JOIN cycle c ON c.id = a.cycle_id"                                   \
	" LEFT JOIN departement d ON d.code = a.departement"

/* The fields an organiser sets, as the table names them. */
static const char *const field_names[] = {"cycle", "departement", "date", "time",    "end",
					  "title", "venue",	  "city", "capacity"};
#define FIELD_COUNT (sizeof field_names / sizeof field_names[0])
/* What a participant needs: required of anything but a draft. */
static const char *const complete_fields[] = {"departement", "title", "venue", "city", "capacity"};

static json_t *decorate(json_t *row)
{
	char buf[128];
	const char *date = json_string_value(json_object_get(row, "date"));
	const char *time = json_string_value(json_object_get(row, "time"));
	if (datetime_fr(buf, sizeof buf, date, time))
		json_object_set_new(row, "when_fr", json_string(buf));
	json_t *edition = json_object_get(row, "edition");
	if (json_is_integer(edition)) {
		edition_fr(buf, sizeof buf, (int)json_integer_value(edition));
		json_object_set_new(row, "edition_fr", json_string(buf));
	}
	return row;
}

json_t *atelier_get(struct req *r, long long id)
{
	sqlite3_stmt *st = db_query(r->db, &r->err, ATELIER_SELECT " WHERE a.id = ?", "I", id);
	if (!st)
		return NULL;
	int rc = db_step(r->db, st, &r->err);
	if (rc == 0)
		req_fail(r, ADF_E_NOT_FOUND, "no Atelier %lld", id);
	if (rc <= 0)
		return NULL;
	json_t *row = decorate(db_row_json(st));
	sqlite3_reset(st);
	return row;
}

json_t *atelier_list_json(struct req *r, json_t *cycle, json_t *status, json_t *departement)
{
	sqlite3_stmt *st = db_query(r->db, &r->err,
				    ATELIER_SELECT " WHERE (?1 IS NULL OR a.cycle_id = ?1)"
						   " AND (?2 IS NULL OR a.status = ?2)"
						   " AND (?3 IS NULL OR a.departement = ?3)"
						   " ORDER BY a.date, a.start_time, a.id",
				    "jjj", cycle, status, departement);
	if (!st)
		return NULL;
	json_t *list = json_array();
	int rc;
	while ((rc = db_step(r->db, st, &r->err)) == 1)
		json_array_append_new(list, decorate(db_row_json(st)));
	if (rc < 0) {
		json_decref(list);
		return NULL;
	}
	return list;
}

static const char *field_str(json_t *fields, const char *name)
{
	return json_string_value(json_object_get(fields, name));
}

/* The rules of the tour, checked on every path that sets a date. */
static int check_rules(struct req *r, long long self, json_t *fields, bool force)
{
	const char *date = field_str(fields, "date");
	const char *time = field_str(fields, "time");
	const char *end = field_str(fields, "end");
	json_t *cycle = json_object_get(fields, "cycle");
	json_t *dept = json_object_get(fields, "departement");
	int y, m, d;

	if (!date_parse(date, &y, &m, &d))
		return req_fail(r, ADF_E_BAD_REQUEST, "date: not a valid date");
	if (time && !paris_time_exists(date, time))
		return req_fail(r, ADF_E_BAD_REQUEST,
				"%s %s does not exist in Paris: the clocks go forward from 2:00 "
				"to 3:00 that night",
				date, time);
	if (end && time && strcmp(end, time) <= 0)
		return req_fail(r, ADF_E_BAD_REQUEST, "end %s is not after the start %s", end,
				time);
	if (json_is_string(dept) &&
	    db_scalar(r->db, &r->err, "SELECT count(*) FROM departement WHERE code = ?", "j",
		      dept) != 1)
		return req_fail(r, ADF_E_NOT_FOUND, "unknown Département %s",
				json_string_value(dept));
	if (json_is_integer(cycle)) {
		sqlite3_stmt *st = db_query(
		    r->db, &r->err, "SELECT name, first_month, last_month FROM cycle WHERE id = ?",
		    "j", cycle);
		if (!st)
			return -1;
		int rc = db_step(r->db, st, &r->err);
		if (rc <= 0)
			return rc < 0 ? -1
				      : req_fail(r, ADF_E_NOT_FOUND, "no cycle %lld",
						 (long long)json_integer_value(cycle));
		char month[8];
		snprintf(month, sizeof month, "%.7s", date);
		const char *name = (const char *)sqlite3_column_text(st, 0);
		const char *first = (const char *)sqlite3_column_text(st, 1);
		const char *last = (const char *)sqlite3_column_text(st, 2);
		if (strcmp(month, first) < 0 || strcmp(month, last) > 0) {
			req_fail(r, ADF_E_CONFLICT, "%s is outside %s (%s to %s)", date, name,
				 first, last);
			sqlite3_reset(st);
			return -1;
		}
		sqlite3_reset(st);
		st = db_query(r->db, &r->err,
			      "SELECT a.id, a.date, d.name, a.city FROM atelier a"
			      " LEFT JOIN departement d ON d.code = a.departement"
			      " WHERE a.cycle_id = ? AND a.status <> 'cancelled' AND a.id <> ?"
			      " AND substr(a.date, 1, 7) = ? LIMIT 1",
			      "jIs", cycle, self, month);
		if (!st)
			return -1;
		rc = db_step(r->db, st, &r->err);
		if (rc < 0)
			return -1;
		if (rc == 1 && !force) {
			const char *other = (const char *)sqlite3_column_text(st, 2);
			req_fail(r, ADF_E_CONFLICT,
				 "an Atelier is already planned in %s: #%lld on %s (%s) "
				 "(use force to plan a second one)",
				 month, (long long)sqlite3_column_int64(st, 0),
				 sqlite3_column_text(st, 1), other ? other : "no Département yet");
			sqlite3_reset(st);
			return -1;
		}
		if (rc == 1)
			sqlite3_reset(st);
	}
	const char *holiday = holiday_name(y, m, d);
	if (holiday && !force)
		return req_fail(r, ADF_E_CONFLICT,
				"%s is a public holiday (%s) (use force to plan it anyway)", date,
				holiday);
	return 0;
}

static int check_complete(struct req *r, json_t *fields, long long id)
{
	char missing[128] = "";
	for (size_t i = 0; i < sizeof complete_fields / sizeof complete_fields[0]; i++) {
		json_t *v = json_object_get(fields, complete_fields[i]);
		if (!v || json_is_null(v)) {
			size_t n = strlen(missing);
			snprintf(missing + n, sizeof missing - n, "%s%s", n ? ", " : "",
				 complete_fields[i]);
		}
	}
	if (!missing[0])
		return 0;
	if (id)
		return req_fail(r, ADF_E_CONFLICT, "Atelier %lld lacks %s: set them first", id,
				missing);
	return req_fail(r, ADF_E_BAD_REQUEST, "missing %s (required unless draft)", missing);
}

/* The fields of a stored Atelier: the SELECT names them as the table does. */
static json_t *fields_of(json_t *row)
{
	json_t *fields = json_object();
	for (size_t i = 0; i < FIELD_COUNT; i++)
		json_object_set(fields, field_names[i], json_object_get(row, field_names[i]));
	return fields;
}

/* The editions of the announced Ateliers of two cycles (either may be
 * null), as {"id": edition}. */
static json_t *editions_of(struct req *r, json_t *cycle, json_t *other)
{
	sqlite3_stmt *st =
	    db_query(r->db, &r->err,
		     "SELECT id, row_number() OVER (PARTITION BY cycle_id"
		     " ORDER BY date, start_time, id) AS edition FROM atelier"
		     " WHERE cycle_id IN (?1, ?2) AND status IN ('scheduled', 'held')",
		     "jj", cycle, other);
	json_t *rows = db_rows_json(r->db, st, &r->err);
	if (!rows)
		return NULL;
	json_t *map = json_object();
	size_t i;
	json_t *row;
	char key[24];
	json_array_foreach(rows, i, row)
	{
		snprintf(key, sizeof key, "%lld",
			 (long long)json_integer_value(json_object_get(row, "id")));
		json_object_set(map, key, json_object_get(row, "edition"));
	}
	json_decref(rows);
	return map;
}

/* The announced Ateliers but `self` whose edition the change moved, as
 * [{"id", "from", "to"}]: the mails and the programme already said the
 * old one, so a renumbering is never silent. */
static json_t *renumbered(json_t *before, json_t *after, long long self)
{
	json_t *moved = json_array();
	const char *key;
	json_t *was;
	json_object_foreach(before, key, was)
	{
		json_t *now = json_object_get(after, key);
		long long id = strtoll(key, NULL, 10);
		if (id != self && now && !json_equal(was, now))
			json_array_append_new(moved,
					      json_pack("{s:I,s:O,s:O}", "id", (json_int_t)id,
							"from", was, "to", now));
	}
	return moved;
}

/* Compares the editions after a change with `before` (consumed): a change
 * that renumbers an announced Atelier fails unless `may`, and is reported
 * in *out (if not NULL) otherwise. */
static int check_editions(struct req *r, json_t *before, json_t *cycle, json_t *other,
			  long long self, bool may, json_t **out)
{
	if (out)
		*out = NULL;
	json_t *after = before ? editions_of(r, cycle, other) : NULL;
	if (!after) {
		json_decref(before);
		return -1;
	}
	json_t *moved = renumbered(before, after, self);
	json_decref(before);
	json_decref(after);
	if (json_array_size(moved) == 0) {
		json_decref(moved);
		return 0;
	}
	if (!may) {
		/* each one named, as far as a line goes */
		char list[300] = "";
		size_t len = 0, i, shown = 0;
		json_t *one;
		json_array_foreach(moved, i, one)
		{
			if (len > 200)
				break;
			len += (size_t)snprintf(
			    list + len, sizeof list - len, "%s#%lld from %lld to %lld",
			    i ? ", " : "",
			    (long long)json_integer_value(json_object_get(one, "id")),
			    (long long)json_integer_value(json_object_get(one, "from")),
			    (long long)json_integer_value(json_object_get(one, "to")));
			shown++;
		}
		req_fail(r, ADF_E_CONFLICT,
			 "this would change the edition of announced Ateliers: %s%s (use force "
			 "to renumber them)",
			 list, shown < json_array_size(moved) ? " and more" : "");
		json_decref(moved);
		return -1;
	}
	if (out)
		*out = moved;
	else
		json_decref(moved);
	return 0;
}

static int answer_atelier(struct req *r, long long id)
{
	snprintf(r->target, sizeof r->target, "atelier:%lld", id);
	r->data = atelier_get(r, id);
	return r->data ? 0 : -1;
}

int atelier_create(struct req *r, json_t *fields, const char *status, long long *id,
		   json_t **renumbering)
{
	char now[21], starts_at[21];
	if (strcmp(status, "draft") != 0 && check_complete(r, fields, 0) < 0)
		return -1;
	if (check_rules(r, 0, fields, arg_bool(r, "force")) < 0)
		return -1;
	if (paris_to_utc(field_str(fields, "date"), field_str(fields, "time"), starts_at) < 0)
		return req_fail(r, ADF_E_INTERNAL, "cannot convert the time to UTC");
	json_t *before = editions_of(r, json_object_get(fields, "cycle"), NULL);
	if (!before)
		return -1;
	db_now(now);
	if (db_exec(r->db, &r->err,
		    "INSERT INTO atelier (cycle_id, departement, date, start_time, end_time, title,"
		    " venue, city, capacity, starts_at, status, created_at, updated_at)"
		    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
		    "jjjjjjjjjssss", json_object_get(fields, "cycle"),
		    json_object_get(fields, "departement"), json_object_get(fields, "date"),
		    json_object_get(fields, "time"), json_object_get(fields, "end"),
		    json_object_get(fields, "title"), json_object_get(fields, "venue"),
		    json_object_get(fields, "city"), json_object_get(fields, "capacity"), starts_at,
		    status, now, now) < 0) {
		json_decref(before);
		return -1;
	}
	*id = db_last_id(r->db);
	return check_editions(r, before, json_object_get(fields, "cycle"), NULL, *id,
			      arg_bool(r, "force"), renumbering);
}

int atelier_repair(struct db *db, struct adf_error *err)
{
	/* A draft is never cancelled now (it is deleted). One cancelled by an
	 * older adfd was never announced (a scheduled Atelier's cancellation
	 * always leaves an event): a draft again, which an organiser can
	 * complete or delete, and which no page shows. */
	return db_exec(db, err,
		       "UPDATE atelier SET status = 'draft', cancel_reason = NULL"
		       " WHERE status = 'cancelled' AND id NOT IN"
		       " (SELECT atelier_id FROM atelier_event WHERE kind = 'cancelled')",
		       "");
}

int h_atelier_add(struct req *r)
{
	json_t *fields = json_object();
	for (size_t i = 0; i < FIELD_COUNT; i++)
		json_object_set(fields, field_names[i], json_object_get(r->args, field_names[i]));
	long long id;
	json_t *renumbering = NULL;
	int rc = atelier_create(r, fields, arg_bool(r, "draft") ? "draft" : "scheduled", &id,
				&renumbering);
	json_decref(fields);
	if (rc == 0)
		rc = answer_atelier(r, id);
	if (rc == 0 && renumbering)
		json_object_set(r->data, "renumbered", renumbering);
	json_decref(renumbering);
	return rc;
}

int h_atelier_list(struct req *r)
{
	r->data = atelier_list_json(r, json_object_get(r->args, "cycle"),
				    json_object_get(r->args, "status"),
				    json_object_get(r->args, "departement"));
	return r->data ? 0 : -1;
}

int h_atelier_show(struct req *r)
{
	r->data = atelier_get(r, arg_int(r, "id", 0));
	return r->data ? 0 : -1;
}

/* People hear of a scheduled Atelier that moves or is cancelled; its
 * reminders not yet sent are planned again from the new date, or dropped. */
static int atelier_changed(struct req *r, json_t *row, const char *status, bool moved)
{
	long long id = json_integer_value(json_object_get(row, "id"));
	const char *was = json_string_value(json_object_get(row, "status"));
	const char *kind = !strcmp(status, "cancelled") && !strcmp(was, "scheduled")   ? "cancelled"
			   : !strcmp(status, "scheduled") && !strcmp(was, "cancelled") ? "reopened"
			   : moved && !strcmp(status, "scheduled") && !strcmp(was, "scheduled")
			       ? "moved"
			       : NULL;
	if (!kind)
		return 0;
	char now[21];
	db_now(now);
	if (db_exec(r->db, &r->err,
		    "INSERT INTO atelier_event (atelier_id, kind, at) VALUES (?, ?, ?)", "Iss", id,
		    kind, now) < 0 ||
	    db_exec(r->db, &r->err,
		    "DELETE FROM outbox WHERE atelier_id = ? AND kind = 'reminder'"
		    " AND state = 'pending' AND attempts = 0",
		    "I", id) < 0)
		return -1;
	/* a reminder moment still to come for the new date is planned afresh */
	return db_exec(r->db, &r->err,
		       "DELETE FROM reminder_run WHERE atelier_id = ? AND due_at > ?", "Is", id,
		       now) < 0
		   ? -1
		   : 0;
}

/* Writes fields and status; the SEQUENCE grows when what a calendar shows
 * (date, time, place, status) changes, so that invitations update. */
static int atelier_store(struct req *r, json_t *row, json_t *fields, const char *status,
			 const char *reason, bool may_renumber)
{
	static const char *const visible[] = {"date", "time", "end", "venue", "city"};
	long long id = json_integer_value(json_object_get(row, "id"));
	bool moved = strcmp(status, json_string_value(json_object_get(row, "status"))) != 0;
	for (size_t i = 0; i < sizeof visible / sizeof visible[0]; i++)
		moved |= !json_equal(json_object_get(row, visible[i]),
				     json_object_get(fields, visible[i]));
	char now[21], starts_at[21];
	if (paris_to_utc(field_str(fields, "date"), field_str(fields, "time"), starts_at) < 0)
		return req_fail(r, ADF_E_INTERNAL, "cannot convert the time to UTC");
	json_t *cycle = json_object_get(fields, "cycle"),
	       *was_cycle = json_object_get(row, "cycle");
	json_t *before = editions_of(r, cycle, was_cycle);
	if (!before)
		return -1;
	db_now(now);
	if (db_exec(r->db, &r->err,
		    "UPDATE atelier SET cycle_id = ?, departement = ?, date = ?, start_time = ?,"
		    " end_time = ?, title = ?, venue = ?, city = ?, capacity = ?, starts_at = ?,"
		    " status = ?, cancel_reason = ?, sequence = sequence + ?, updated_at = ?"
		    " WHERE id = ?",
		    "jjjjjjjjjsssisI", json_object_get(fields, "cycle"),
		    json_object_get(fields, "departement"), json_object_get(fields, "date"),
		    json_object_get(fields, "time"), json_object_get(fields, "end"),
		    json_object_get(fields, "title"), json_object_get(fields, "venue"),
		    json_object_get(fields, "city"), json_object_get(fields, "capacity"), starts_at,
		    status, reason, moved ? 1 : 0, now, id) < 0) {
		json_decref(before);
		return -1;
	}
	json_t *renumbering;
	if (check_editions(r, before, cycle, was_cycle, id, may_renumber, &renumbering) < 0)
		return -1;
	/* more seats, or scheduled again: the waiting list moves up */
	if (registration_fill(r, id) < 0 || atelier_changed(r, row, status, moved) < 0 ||
	    answer_atelier(r, id) < 0) {
		json_decref(renumbering);
		return -1;
	}
	if (renumbering)
		json_object_set_new(r->data, "renumbered", renumbering);
	return 0;
}

/* Loads the Atelier named by the "id" argument, or fails if its status is
 * not one of `allowed` ('|'-separated). */
static json_t *load_in_status(struct req *r, const char *allowed, const char *action)
{
	long long id = arg_int(r, "id", 0);
	snprintf(r->target, sizeof r->target, "atelier:%lld", id);
	json_t *row = atelier_get(r, id);
	if (!row)
		return NULL;
	const char *status = json_string_value(json_object_get(row, "status"));
	char wrapped[64], needle[24];
	snprintf(wrapped, sizeof wrapped, "|%s|", allowed);
	snprintf(needle, sizeof needle, "|%s|", status);
	if (!strstr(wrapped, needle)) {
		if (!strcmp(status, "cancelled") && !strcmp(action, "cancelled"))
			req_fail(r, ADF_E_CONFLICT, "Atelier %lld is already cancelled", id);
		else if (!strcmp(status, "cancelled") && strcmp(action, "reopened") != 0)
			req_fail(r, ADF_E_CONFLICT,
				 "Atelier %lld is cancelled: reopen it first (atelier reopen %lld)",
				 id, id);
		else
			req_fail(r, ADF_E_CONFLICT, "Atelier %lld is %s%s: it cannot be %s", id,
				 !strcmp(status, "draft") ? "a " : "", status, action);
		json_decref(row);
		return NULL;
	}
	return row;
}

int h_atelier_update(struct req *r)
{
	json_t *row = load_in_status(r, "draft|scheduled", "changed");
	if (!row)
		return -1;
	json_t *fields = fields_of(row);
	for (size_t i = 0; i < FIELD_COUNT; i++)
		if (arg_has(r, field_names[i]))
			json_object_set(fields, field_names[i],
					json_object_get(r->args, field_names[i]));
	/* Month and holiday rules apply to a new day, not to one accepted before. */
	bool new_day = !json_equal(json_object_get(row, "date"), json_object_get(fields, "date")) ||
		       !json_equal(json_object_get(row, "cycle"), json_object_get(fields, "cycle"));
	long long id = json_integer_value(json_object_get(row, "id"));
	int rc = check_rules(r, id, fields, arg_bool(r, "force") || !new_day);
	if (rc == 0)
		rc =
		    atelier_store(r, row, fields, json_string_value(json_object_get(row, "status")),
				  NULL, arg_bool(r, "force"));
	json_decref(fields);
	json_decref(row);
	return rc;
}

/* draft -> scheduled, and cancelled -> scheduled: the rules are checked
 * again, since the month or the calendar may have changed meanwhile. */
static int make_scheduled(struct req *r, json_t *row)
{
	long long id = json_integer_value(json_object_get(row, "id"));
	json_t *fields = fields_of(row);
	bool force = arg_bool(r, "force");
	int rc = check_complete(r, fields, id);
	if (rc == 0)
		rc = check_rules(r, id, fields, force);
	if (rc == 0)
		rc = atelier_store(r, row, fields, "scheduled", NULL, force);
	json_decref(fields);
	return rc;
}

int h_atelier_schedule(struct req *r)
{
	json_t *row = load_in_status(r, "draft", "scheduled");
	int rc = row ? make_scheduled(r, row) : -1;
	json_decref(row);
	return rc;
}

/* Cancelled -> scheduled, and people are told; or held -> scheduled, to
 * undo a mistaken "held" while the day has not passed. */
int h_atelier_reopen(struct req *r)
{
	json_t *row = load_in_status(r, "cancelled|held", "reopened");
	if (!row)
		return -1;
	int rc;
	if (!strcmp(json_string_value(json_object_get(row, "status")), "held")) {
		char today[11];
		paris_today(today);
		const char *date = field_str(row, "date");
		json_t *fields = fields_of(row);
		rc = strcmp(date, today) < 0
			 ? req_fail(
			       r, ADF_E_CONFLICT,
			       "Atelier %lld was held on %s: that day has passed, it stays held",
			       (long long)json_integer_value(json_object_get(row, "id")), date)
			 : atelier_store(r, row, fields, "scheduled", NULL, true);
		json_decref(fields);
	} else {
		/* people would be told a day long gone is back */
		char today[11];
		paris_today(today);
		const char *date = field_str(row, "date");
		rc =
		    strcmp(date, today) < 0 && !arg_bool(r, "force")
			? req_fail(r, ADF_E_CONFLICT,
				   "Atelier %lld was planned on %s: that day has passed (use force "
				   "to reopen it all the same)",
				   (long long)json_integer_value(json_object_get(row, "id")), date)
			: make_scheduled(r, row);
	}
	json_decref(row);
	return rc;
}

static int set_status(struct req *r, json_t *row, const char *to, const char *reason)
{
	json_t *fields = fields_of(row);
	int rc = atelier_store(r, row, fields, to, reason, true);
	json_decref(fields);
	return rc;
}

/* A draft was never announced: nobody is to be told, it is deleted. */
int h_atelier_cancel(struct req *r)
{
	json_t *row = load_in_status(r, "draft|scheduled", "cancelled");
	if (!row)
		return -1;
	long long id = json_integer_value(json_object_get(row, "id"));
	int rc = !strcmp(json_string_value(json_object_get(row, "status")), "draft")
		     ? req_fail(r, ADF_E_CONFLICT,
				"Atelier %lld is a draft, never announced: delete it instead "
				"(atelier delete %lld)",
				id, id)
		     : set_status(r, row, "cancelled", arg_str(r, "reason"));
	json_decref(row);
	return rc;
}

/* Held is said on the day or after: said of a day to come, it would stop
 * the reminders and close the registrations. */
int h_atelier_held(struct req *r)
{
	json_t *row = load_in_status(r, "scheduled", "marked as held");
	if (!row)
		return -1;
	char today[11];
	paris_today(today);
	const char *date = field_str(row, "date");
	long long id = json_integer_value(json_object_get(row, "id"));
	int rc = strcmp(date, today) > 0 && !arg_bool(r, "force")
		     ? req_fail(r, ADF_E_CONFLICT,
				"Atelier %lld takes place on %s: it can be marked held from that "
				"day on (use force if it really took place)",
				id, date)
		     : set_status(r, row, "held", NULL);
	json_decref(row);
	return rc;
}

int h_atelier_delete(struct req *r)
{
	json_t *row =
	    load_in_status(r, "draft", "deleted (only a draft can be; cancel it instead)");
	if (!row)
		return -1;
	long long id = json_integer_value(json_object_get(row, "id"));
	json_decref(row);
	if (db_exec(r->db, &r->err, "DELETE FROM atelier WHERE id = ?", "I", id) < 0)
		return -1;
	r->data = json_pack("{s:I,s:b}", "id", (json_int_t)id, "deleted", 1);
	return 0;
}
