#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "atelier.h"
#include "date.h"
#include "db.h"
#include "paris.h"
#include "registration.h"
#include "text.h"
#include "work.h"

/* The edition follows date order among the cycle's announced Ateliers
 * (scheduled or held): a draft is not announced yet, a cancelled one will
 * not take place. It is computed when read, never stored stale; a change
 * that would renumber an announced Atelier must be forced (see
 * renumbered()). */
#define ATELIER_SELECT                                                                             \
	"SELECT a.id, a.cycle_id AS cycle, c.name AS cycle_name, a.departement,"                   \
	" d.name AS departement_name, d.region, a.title, a.date, a.start_time AS time,"            \
	" a.end_time AS \"end\", a.starts_at, a.venue, a.city, a.capacity, a.waitlist_max,"        \
	" a.replay_url, a.slides_url,"                                                             \
	" a.status,"                                                                               \
	" a.cancel_reason, a.sequence, a.created_at, a.updated_at,"                                \
	" CASE WHEN a.status IN ('scheduled', 'held') AND a.cycle_id IS NOT NULL THEN"             \
	"  (SELECT count(*) FROM atelier b WHERE b.cycle_id = a.cycle_id"                          \
	"   AND b.status IN ('scheduled', 'held') AND (b.date < a.date OR (b.date = a.date"        \
	"   AND (b.start_time < a.start_time OR (b.start_time = a.start_time"                      \
	"   AND b.id <= a.id))))) END AS edition"                                                  \
	" FROM atelier a LEFT JOIN cycle c ON c.id = a.cycle_id"                                   \
	" LEFT JOIN departement d ON d.code = a.departement"

/* The fields an organiser sets, as the table names them. */
static const char *const field_names[] = {"cycle",    "departement", "date",  "time",
					  "end",      "title",	     "venue", "city",
					  "capacity", "waitlist_max"};
#define FIELD_COUNT (sizeof field_names / sizeof field_names[0])
/* What a participant needs: required of anything but a draft. */
static const char *const complete_fields[] = {"departement", "title", "venue", "city", "capacity"};

static json_t *decorate(json_t *row, void *unused)
{
	(void)unused;
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

json_t *atelier_get(struct work *w, long long id)
{
	json_t *row =
	    work_row(w, db_query(w->db, &w->err, ATELIER_SELECT " WHERE a.id = ?", "I", id),
		     "no Atelier %lld", id);
	return row ? decorate(row, NULL) : NULL;
}

json_t *atelier_list_json(struct work *w, json_t *cycle, json_t *status, json_t *departement)
{
	sqlite3_stmt *st = db_query(w->db, &w->err,
				    ATELIER_SELECT " WHERE (?1 IS NULL OR a.cycle_id = ?1)"
						   " AND (?2 IS NULL OR a.status = ?2)"
						   " AND (?3 IS NULL OR a.departement = ?3)"
						   " ORDER BY a.date, a.start_time, a.id",
				    "jjj", cycle, status, departement);
	return db_rows_map(w->db, st, &w->err, decorate, NULL);
}

static const char *field_str(json_t *fields, const char *name)
{
	return json_string_value(json_object_get(fields, name));
}

/* The rules of the tour, checked on every path that sets a date. */
static int check_rules(struct work *w, long long self, json_t *fields, bool force)
{
	const char *date = field_str(fields, "date");
	const char *time = field_str(fields, "time");
	const char *end = field_str(fields, "end");
	json_t *cycle = json_object_get(fields, "cycle");
	json_t *dept = json_object_get(fields, "departement");
	int y, m, d;

	if (!date_parse(date, &y, &m, &d))
		return work_fail(w, ADF_E_BAD_REQUEST, "date: not a valid date");
	if (time && !paris_time_exists(date, time))
		return work_fail(w, ADF_E_BAD_REQUEST,
				 "%s %s does not exist in Paris: the clocks go forward from 2:00 "
				 "to 3:00 that night",
				 date, time);
	if (end && time && strcmp(end, time) <= 0)
		return work_fail(w, ADF_E_BAD_REQUEST, "end %s is not after the start %s", end,
				 time);
	if (json_is_string(dept) &&
	    db_scalar(w->db, &w->err, "SELECT count(*) FROM departement WHERE code = ?", "j",
		      dept) != 1)
		return work_fail(w, ADF_E_NOT_FOUND, "unknown Département %s",
				 json_string_value(dept));
	if (json_is_integer(cycle)) {
		sqlite3_stmt *st = db_query(
		    w->db, &w->err, "SELECT name, first_month, last_month FROM cycle WHERE id = ?",
		    "j", cycle);
		if (!st)
			return -1;
		int rc = db_step(w->db, st, &w->err);
		if (rc <= 0)
			return rc < 0 ? -1
				      : work_fail(w, ADF_E_NOT_FOUND, "no cycle %lld",
						  (long long)json_integer_value(cycle));
		char month[8];
		snprintf(month, sizeof month, "%.7s", date);
		const char *name = (const char *)sqlite3_column_text(st, 0);
		const char *first = (const char *)sqlite3_column_text(st, 1);
		const char *last = (const char *)sqlite3_column_text(st, 2);
		if (strcmp(month, first) < 0 || strcmp(month, last) > 0) {
			work_fail(w, ADF_E_CONFLICT, "%s is outside %s (%s to %s)", date, name,
				  first, last);
			sqlite3_reset(st);
			return -1;
		}
		sqlite3_reset(st);
		st = db_query(w->db, &w->err,
			      "SELECT a.id, a.date, d.name, a.city FROM atelier a"
			      " LEFT JOIN departement d ON d.code = a.departement"
			      " WHERE a.cycle_id = ? AND a.status <> 'cancelled' AND a.id <> ?"
			      " AND substr(a.date, 1, 7) = ? LIMIT 1",
			      "jIs", cycle, self, month);
		if (!st)
			return -1;
		rc = db_step(w->db, st, &w->err);
		if (rc < 0)
			return -1;
		if (rc == 1 && !force) {
			const char *other = (const char *)sqlite3_column_text(st, 2);
			if (other)
				work_fail(w, ADF_E_CONFLICT,
					  "an Atelier is already planned in %s: #%lld on %s (%s) "
					  "(use force to plan a second one)",
					  month, (long long)sqlite3_column_int64(st, 0),
					  sqlite3_column_text(st, 1), other);
			else
				work_fail(
				    w, ADF_E_CONFLICT,
				    "an Atelier is already planned in %s: #%lld on %s (use force "
				    "to plan a second one)",
				    month, (long long)sqlite3_column_int64(st, 0),
				    sqlite3_column_text(st, 1));
			sqlite3_reset(st);
			return -1;
		}
		if (rc == 1)
			sqlite3_reset(st);
	}
	const char *holiday = holiday_name(y, m, d);
	if (holiday && !force)
		return work_fail(w, ADF_E_CONFLICT,
				 "%s is a public holiday (%s) (use force to plan it anyway)", date,
				 holiday);
	return 0;
}

static int check_complete(struct work *w, json_t *fields, long long id)
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
		return work_fail(w, ADF_E_CONFLICT, "Atelier %lld lacks %s: set them first", id,
				 missing);
	return work_fail(w, ADF_E_BAD_REQUEST, "missing %s (required unless draft)", missing);
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
static json_t *editions_of(struct work *w, json_t *cycle, json_t *other)
{
	sqlite3_stmt *st =
	    db_query(w->db, &w->err,
		     "SELECT id, row_number() OVER (PARTITION BY cycle_id"
		     " ORDER BY date, start_time, id) AS edition FROM atelier"
		     " WHERE cycle_id IN (?1, ?2) AND status IN ('scheduled', 'held')",
		     "jj", cycle, other);
	json_t *rows = db_rows_json(w->db, st, &w->err);
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
static int check_editions(struct work *w, json_t *before, json_t *cycle, json_t *other,
			  long long self, bool may, json_t **out)
{
	if (out)
		*out = NULL;
	json_t *after = before ? editions_of(w, cycle, other) : NULL;
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
			    list + len, sizeof list - len, "%s#%lld: %lld → %lld", i ? ", " : "",
			    (long long)json_integer_value(json_object_get(one, "id")),
			    (long long)json_integer_value(json_object_get(one, "from")),
			    (long long)json_integer_value(json_object_get(one, "to")));
			shown++;
		}
		work_fail(w, ADF_E_CONFLICT,
			  "this would change the edition of announced Ateliers: %s%s (use force "
			  "to renumber them)",
			  list, shown < json_array_size(moved) ? ", …" : "");
		json_decref(moved);
		return -1;
	}
	if (out)
		*out = moved;
	else
		json_decref(moved);
	return 0;
}

/* The Atelier as an answer, the target of the change. */
static json_t *answer_atelier(struct work *w, long long id)
{
	snprintf(w->target, sizeof w->target, "atelier:%lld", id);
	return atelier_get(w, id);
}

/* Writes an Atelier's fields, status and reason; sequence_step is 1 when
 * what a calendar shows changed, so that invitations update. */
static int write_fields(struct work *w, long long id, json_t *fields, const char *starts_at,
			const char *status, const char *reason, int sequence_step, const char *now)
{
	return db_exec(
		   w->db, &w->err,
		   "UPDATE atelier SET cycle_id = ?, departement = ?, date = ?, start_time = ?,"
		   " end_time = ?, title = ?, venue = ?, city = ?, capacity = ?, waitlist_max = ?,"
		   " starts_at = ?, status = ?, cancel_reason = ?, sequence = sequence + ?,"
		   " updated_at = ? WHERE id = ?",
		   "jjjjjjjjjjsssisI", json_object_get(fields, "cycle"),
		   json_object_get(fields, "departement"), json_object_get(fields, "date"),
		   json_object_get(fields, "time"), json_object_get(fields, "end"),
		   json_object_get(fields, "title"), json_object_get(fields, "venue"),
		   json_object_get(fields, "city"), json_object_get(fields, "capacity"),
		   json_object_get(fields, "waitlist_max"), starts_at, status, reason,
		   sequence_step, now, id) < 0
		   ? -1
		   : 0;
}

int atelier_create(struct work *w, json_t *fields, const char *status, bool force, long long *id,
		   json_t **renumbering)
{
	char now[21], starts_at[21];
	if (strcmp(status, "draft") != 0 && check_complete(w, fields, 0) < 0)
		return -1;
	if (check_rules(w, 0, fields, force) < 0)
		return -1;
	if (paris_to_utc(field_str(fields, "date"), field_str(fields, "time"), starts_at) < 0)
		return work_fail(w, ADF_E_INTERNAL, "cannot convert the time to UTC");
	json_t *before = editions_of(w, json_object_get(fields, "cycle"), NULL);
	if (!before)
		return -1;
	db_now(now);
	/* a draft first: the fields come by the one UPDATE of write_fields */
	if (db_exec(
		w->db, &w->err,
		"INSERT INTO atelier (date, start_time, starts_at, status, created_at, updated_at)"
		" VALUES (?, ?, ?, 'draft', ?, ?)",
		"jjsss", json_object_get(fields, "date"), json_object_get(fields, "time"),
		starts_at, now, now) < 0 ||
	    write_fields(w, db_last_id(w->db), fields, starts_at, status, NULL, 0, now) < 0) {
		json_decref(before);
		return -1;
	}
	*id = db_last_id(w->db);
	return check_editions(w, before, json_object_get(fields, "cycle"), NULL, *id, force,
			      renumbering);
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

json_t *atelier_add(struct work *w, json_t *fields, bool draft, bool force)
{
	json_t *known = json_object();
	for (size_t i = 0; i < FIELD_COUNT; i++)
		json_object_set(known, field_names[i], json_object_get(fields, field_names[i]));
	long long id;
	json_t *renumbering = NULL, *atelier = NULL;
	if (atelier_create(w, known, draft ? "draft" : "scheduled", force, &id, &renumbering) == 0)
		atelier = answer_atelier(w, id);
	json_decref(known);
	if (atelier && renumbering)
		json_object_set(atelier, "renumbered", renumbering);
	json_decref(renumbering);
	return atelier;
}

/* People hear of a scheduled Atelier that moves or is cancelled; its
 * reminders not yet sent are planned again from the new date, or dropped. */
static int atelier_changed(struct work *w, json_t *row, const char *status, bool moved)
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
	char now[21], place[420];
	db_now(now);
	/* what it was: a change notice gives the old beside the new */
	snprintf(place, sizeof place, "%s, %s",
		 field_str(row, "venue") ? field_str(row, "venue") : "",
		 field_str(row, "city") ? field_str(row, "city") : "");
	/* its reminders not sent yet go (schema/013-reminders-dropped.sql) */
	return db_exec(w->db, &w->err,
		       "INSERT INTO atelier_event (atelier_id, kind, at, was_when_fr, was_place)"
		       " VALUES (?, ?, ?, ?, ?)",
		       "Issss", id, kind, now, field_str(row, "when_fr"), place) < 0
		   ? -1
		   : 0;
}

/* Writes fields and status; the SEQUENCE grows when what a calendar shows
 * (date, time, place, status) changes, so that invitations update. */
static json_t *atelier_store(struct work *w, json_t *row, json_t *fields, const char *status,
			     const char *reason, bool may_renumber)
{
	static const char *const visible[] = {"date", "time", "end", "venue", "city"};
	long long id = json_integer_value(json_object_get(row, "id"));
	bool moved = strcmp(status, json_string_value(json_object_get(row, "status"))) != 0;
	for (size_t i = 0; i < sizeof visible / sizeof visible[0]; i++)
		moved |= !json_equal(json_object_get(row, visible[i]),
				     json_object_get(fields, visible[i]));
	char now[21], starts_at[21];
	if (paris_to_utc(field_str(fields, "date"), field_str(fields, "time"), starts_at) < 0) {
		work_fail(w, ADF_E_INTERNAL, "cannot convert the time to UTC");
		return NULL;
	}
	json_t *cycle = json_object_get(fields, "cycle"),
	       *was_cycle = json_object_get(row, "cycle");
	json_t *before = editions_of(w, cycle, was_cycle);
	if (!before)
		return NULL;
	db_now(now);
	if (write_fields(w, id, fields, starts_at, status, reason, moved ? 1 : 0, now) < 0) {
		json_decref(before);
		return NULL;
	}
	json_t *renumbering;
	if (check_editions(w, before, cycle, was_cycle, id, may_renumber, &renumbering) < 0)
		return NULL;
	/* more seats, or scheduled again: the waiting list moves up */
	json_t *atelier =
	    registration_fill(w, id, NULL) < 0 || atelier_changed(w, row, status, moved) < 0
		? NULL
		: answer_atelier(w, id);
	if (atelier && renumbering)
		json_object_set(atelier, "renumbered", renumbering);
	json_decref(renumbering);
	return atelier;
}

/* The Atelier, or NULL if its status is not one of `allowed`
 * ('|'-separated). */
static json_t *load_in_status(struct work *w, long long id, const char *allowed, const char *action)
{
	snprintf(w->target, sizeof w->target, "atelier:%lld", id);
	json_t *row = atelier_get(w, id);
	if (!row)
		return NULL;
	const char *status = json_string_value(json_object_get(row, "status"));
	char wrapped[64], needle[24];
	snprintf(wrapped, sizeof wrapped, "|%s|", allowed);
	snprintf(needle, sizeof needle, "|%s|", status);
	if (!strstr(wrapped, needle)) {
		/* each refusal whole, so that it reads well in every language; the
		 * status is a word of the protocol, which adfctl translates */
		if (!strcmp(status, "cancelled") && !strcmp(action, "cancelled"))
			work_fail(w, ADF_E_CONFLICT, "Atelier %lld is already cancelled", id);
		else if (!strcmp(status, "cancelled") && strcmp(action, "reopened") != 0)
			work_fail(
			    w, ADF_E_CONFLICT,
			    "Atelier %lld is cancelled: reopen it first (atelier reopen %lld)", id,
			    id);
		else if (!strcmp(action, "changed"))
			work_fail(w, ADF_E_CONFLICT, "Atelier %lld is %s: it cannot be changed", id,
				  status);
		else if (!strcmp(action, "scheduled"))
			work_fail(w, ADF_E_CONFLICT, "Atelier %lld is %s: it cannot be scheduled",
				  id, status);
		else if (!strcmp(action, "reopened"))
			work_fail(w, ADF_E_CONFLICT, "Atelier %lld is %s: it cannot be reopened",
				  id, status);
		else if (!strcmp(action, "marked as held"))
			work_fail(w, ADF_E_CONFLICT,
				  "Atelier %lld is %s: it cannot be marked as held", id, status);
		else if (!strcmp(action, "cancelled"))
			work_fail(w, ADF_E_CONFLICT, "Atelier %lld is %s: it cannot be cancelled",
				  id, status);
		else
			work_fail(w, ADF_E_CONFLICT,
				  "Atelier %lld is %s: it cannot be deleted (only a draft can be; "
				  "cancel it instead)",
				  id, status);
		json_decref(row);
		return NULL;
	}
	return row;
}

/* New hours must keep the programme inside them: a session that would
 * start before the Atelier or end after it is named (the programme would
 * print it, and the session could not be changed any more). */
static int sessions_fit(struct work *w, long long id, json_t *fields)
{
	json_t *outside = db_row(
	    w->db,
	    db_query(
		w->db, &w->err,
		"SELECT id, start_time AS start, end_time AS \"end\" FROM session"
		" WHERE atelier_id = ?1 AND (start_time < ?2 OR (?3 IS NOT NULL AND end_time > ?3))"
		" ORDER BY start_time LIMIT 1",
		"Ijj", id, json_object_get(fields, "time"), json_object_get(fields, "end")),
	    &w->err);
	if (!outside)
		return w->err.code == ADF_E_NOT_FOUND ? 0 : -1;
	work_fail(w, ADF_E_CONFLICT,
		  "session %lld (%s-%s) would fall outside the Atelier's new hours: move it "
		  "first (or use force)",
		  (long long)json_integer_value(json_object_get(outside, "id")),
		  json_str(outside, "start"), json_str(outside, "end"));
	json_decref(outside);
	return -1;
}

json_t *atelier_update(struct work *w, long long id, json_t *changes, bool force)
{
	json_t *row = load_in_status(w, id, "draft|scheduled", "changed");
	if (!row)
		return NULL;
	json_t *fields = fields_of(row), *atelier = NULL;
	for (size_t i = 0; i < FIELD_COUNT; i++) {
		json_t *value = json_object_get(changes, field_names[i]);
		if (value && !json_is_null(value))
			json_object_set(fields, field_names[i], value);
	}
	/* Month and holiday rules apply to a new day, not to one accepted before. */
	bool new_day = !json_equal(json_object_get(row, "date"), json_object_get(fields, "date")) ||
		       !json_equal(json_object_get(row, "cycle"), json_object_get(fields, "cycle"));
	if (check_rules(w, id, fields, force || !new_day) == 0 &&
	    (force || sessions_fit(w, id, fields) == 0))
		atelier = atelier_store(
		    w, row, fields, json_string_value(json_object_get(row, "status")), NULL, force);
	json_decref(fields);
	json_decref(row);
	return atelier;
}

/* draft -> scheduled, and cancelled -> scheduled: the rules are checked
 * again, since the month or the calendar may have changed meanwhile. */
static json_t *make_scheduled(struct work *w, json_t *row, bool force)
{
	long long id = json_integer_value(json_object_get(row, "id"));
	json_t *fields = fields_of(row), *atelier = NULL;
	if (check_complete(w, fields, id) == 0 && check_rules(w, id, fields, force) == 0)
		atelier = atelier_store(w, row, fields, "scheduled", NULL, force);
	json_decref(fields);
	return atelier;
}

json_t *atelier_schedule(struct work *w, long long id, bool force)
{
	json_t *row = load_in_status(w, id, "draft", "scheduled");
	json_t *atelier = row ? make_scheduled(w, row, force) : NULL;
	json_decref(row);
	return atelier;
}

/* The Atelier's day against today in Paris: < 0 past, 0 today, > 0 ahead. */
static int day_from_today(json_t *row)
{
	char today[11];
	paris_today(today);
	return strcmp(field_str(row, "date"), today);
}

static json_t *set_status(struct work *w, json_t *row, const char *to, const char *reason)
{
	json_t *fields = fields_of(row);
	json_t *atelier = atelier_store(w, row, fields, to, reason, true);
	json_decref(fields);
	return atelier;
}

json_t *atelier_reopen(struct work *w, long long id, bool force)
{
	json_t *row = load_in_status(w, id, "cancelled|held", "reopened");
	if (!row)
		return NULL;
	json_t *atelier = NULL;
	const char *date = field_str(row, "date");
	bool past = day_from_today(row) < 0;
	if (!strcmp(json_string_value(json_object_get(row, "status")), "held")) {
		if (past)
			work_fail(w, ADF_E_CONFLICT,
				  "Atelier %lld was held on %s: that day has passed, it stays held",
				  id, date);
		else
			atelier = set_status(w, row, "scheduled", NULL);
	} else if (past && !force) {
		/* people would be told a day long gone is back */
		work_fail(w, ADF_E_CONFLICT,
			  "Atelier %lld was planned on %s: that day has passed (use force "
			  "to reopen it all the same)",
			  id, date);
	} else {
		atelier = make_scheduled(w, row, force);
	}
	json_decref(row);
	return atelier;
}

/* A refusal of a change of status, or false when it may be made. */
static bool cancel_refused(struct work *w, json_t *row, bool force)
{
	(void)force;
	long long id = json_integer_value(json_object_get(row, "id"));
	return !strcmp(field_str(row, "status"), "draft") &&
	       work_fail(w, ADF_E_CONFLICT,
			 "Atelier %lld is a draft, never announced: delete it instead "
			 "(atelier delete %lld)",
			 id, id);
}

static bool held_refused(struct work *w, json_t *row, bool force)
{
	return day_from_today(row) > 0 && !force &&
	       work_fail(w, ADF_E_CONFLICT,
			 "Atelier %lld takes place on %s: it can be marked held from that day on "
			 "(use force if it really took place)",
			 (long long)json_integer_value(json_object_get(row, "id")),
			 field_str(row, "date"));
}

/* The Atelier in one of `allowed`, moved to the status `to` unless refused. */
static json_t *transition(struct work *w, long long id, const char *allowed, const char *action,
			  bool (*refused)(struct work *w, json_t *row, bool force), bool force,
			  const char *to, const char *reason)
{
	json_t *row = load_in_status(w, id, allowed, action);
	json_t *atelier = row && !refused(w, row, force) ? set_status(w, row, to, reason) : NULL;
	json_decref(row);
	return atelier;
}

json_t *atelier_cancel(struct work *w, long long id, const char *reason)
{
	return transition(w, id, "draft|scheduled", "cancelled", cancel_refused, false, "cancelled",
			  reason);
}

json_t *atelier_held(struct work *w, long long id, bool force)
{
	return transition(w, id, "scheduled", "marked as held", held_refused, force, "held", NULL);
}

json_t *atelier_delete(struct work *w, long long id)
{
	json_t *row =
	    load_in_status(w, id, "draft", "deleted (only a draft can be; cancel it instead)");
	if (!row)
		return NULL;
	json_decref(row);
	return work_deleted(w, db_exec(w->db, &w->err, "DELETE FROM atelier WHERE id = ?", "I", id),
			    id);
}

/* An address people may follow from a mail or a page: http(s), no spaces
 * or quotes (it goes into HTML attributes as it is). */
static bool link_valid(const char *url)
{
	return (!strncasecmp(url, "https://", 8) || !strncasecmp(url, "http://", 7)) &&
	       strcspn(url, " \t\"'<>\\") == strlen(url) && strlen(url) > 8;
}

json_t *atelier_links(struct work *w, long long id, const char *replay, const char *slides)
{
	json_t *row = atelier_get(w, id);
	if (!row)
		return NULL;
	snprintf(w->target, sizeof w->target, "atelier:%lld", id);
	char status[16];
	snprintf(status, sizeof status, "%s", json_str(row, "status"));
	json_decref(row);
	if (!strcmp(status, "draft") || !strcmp(status, "cancelled")) {
		work_fail(w, ADF_E_CONFLICT, "Atelier %lld is %s: it has nothing to show", id,
			  status);
		return NULL;
	}
	const char *given[2] = {replay, slides}, *names[2] = {"replay-url", "slides-url"};
	for (int i = 0; i < 2; i++)
		if (given[i] && strcmp(given[i], "-") && !link_valid(given[i])) {
			work_fail(w, ADF_E_BAD_REQUEST,
				  "%s: \"%s\" is not an http:// or https:// address (\"-\" "
				  "removes it)",
				  names[i], given[i]);
			return NULL;
		}
	/* "-" takes the link away; a link not given stays */
	if (db_exec(w->db, &w->err,
		    "UPDATE atelier SET replay_url = CASE WHEN ?2 IS NULL THEN replay_url"
		    " WHEN ?2 = '-' THEN NULL ELSE ?2 END, slides_url = CASE WHEN ?3 IS NULL"
		    " THEN slides_url WHEN ?3 = '-' THEN NULL ELSE ?3 END WHERE id = ?1",
		    "Iss", id, replay, slides) < 0)
		return NULL;
	return atelier_get(w, id);
}
