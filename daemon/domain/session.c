#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "atelier.h"
#include "db.h"
#include "i18n.h"
#include "person.h"
#include "session.h"
#include "text.h"
#include "work.h"

#define SESSION_SELECT                                                                             \
	"SELECT id, atelier_id AS atelier, kind, title, start_time AS start,"                      \
	" end_time AS \"end\" FROM session"

static json_t *speakers_json(struct work *w, long long session)
{
	sqlite3_stmt *st =
	    db_query(w->db, &w->err,
		     "SELECT pe.id, pe.civility, pe.first_name, pe.last_name, pe.role AS title,"
		     " pe.organisation, p.role, p.position FROM participation p"
		     " JOIN person pe ON pe.id = p.person_id WHERE p.session_id = ?"
		     " ORDER BY p.role = 'intervenant', p.position, pe.id",
		     "I", session);
	return db_rows_map(w->db, st, &w->err, person_named, NULL);
}

/* A session with its speakers, and their names in one line for tables. */
static json_t *with_speakers(struct work *w, json_t *session)
{
	json_t *speakers = speakers_json(w, json_int(session, "id"));
	if (!speakers) {
		json_decref(session);
		return NULL;
	}
	char line[512] = "";
	size_t i;
	json_t *s;
	json_array_foreach(speakers, i, s)
	{
		size_t n = strlen(line);
		snprintf(line + n, sizeof line - n, "%s%s", n ? ", " : "", json_str(s, "name"));
	}
	json_object_set_new(session, "speakers_fr", json_string(line));
	json_object_set_new(session, "speakers", speakers);
	return session;
}

json_t *session_get(struct work *w, long long id)
{
	json_t *row = work_row(w, db_query(w->db, &w->err, SESSION_SELECT " WHERE id = ?", "I", id),
			       "no session %lld", id);
	return row ? with_speakers(w, row) : NULL;
}

json_t *session_list_json(struct work *w, long long atelier)
{
	sqlite3_stmt *st =
	    db_query(w->db, &w->err, SESSION_SELECT " WHERE atelier_id = ? ORDER BY start_time, id",
		     "I", atelier);
	json_t *rows = db_rows_json(w->db, st, &w->err);
	/* speakers after the walk: the statement above is shared */
	size_t i;
	json_t *row;
	json_array_foreach(rows, i, row)
	{
		/* with_speakers takes a reference and gives it back on success */
		if (!with_speakers(w, json_incref(row))) {
			json_decref(rows);
			return NULL;
		}
		json_decref(row);
	}
	return rows;
}

/* Another session of the Atelier overlapping start..end, as "#id "title"
 * (start-end)", or "" if none; -1 on error. */
static int overlapping_session(struct work *w, long long atelier, long long self, const char *start,
			       const char *end, long long *other, char *out, size_t n)
{
	sqlite3_stmt *st = db_query(w->db, &w->err,
				    "SELECT id, title, start_time, end_time FROM session"
				    " WHERE atelier_id = ? AND id <> ? AND start_time < ?"
				    " AND end_time > ? ORDER BY start_time LIMIT 1",
				    "IIss", atelier, self, end, start);
	if (!st)
		return -1;
	int rc = db_step(w->db, st, &w->err);
	out[0] = '\0';
	*other = 0;
	if (rc == 1) {
		*other = sqlite3_column_int64(st, 0);
		snprintf(out, n, "session %lld \"%s\" (%s-%s)", *other, sqlite3_column_text(st, 1),
			 sqlite3_column_text(st, 2), sqlite3_column_text(st, 3));
		sqlite3_reset(st);
	}
	return rc < 0 ? -1 : 0;
}

/* Where else the person speaks that would clash with a session of
 * `atelier` at start..end: the same hours that day, or another city that
 * day. "" if nowhere; -1 on error. */
static int speaker_clash(struct work *w, long long person, long long self, json_t *atelier,
			 const char *start, const char *end, char *out, size_t n,
			 long long *other_atelier, bool *other_city)
{
	sqlite3_stmt *st = db_query(
	    w->db, &w->err,
	    "SELECT s.id, s.title, s.start_time, s.end_time, a.city, a.id FROM participation p"
	    " JOIN session s ON s.id = p.session_id JOIN atelier a ON a.id = s.atelier_id"
	    " WHERE p.person_id = ? AND s.id <> ? AND a.date = ? AND a.status <> 'cancelled'"
	    " AND ((s.start_time < ? AND s.end_time > ?) OR a.city IS NOT ?)"
	    " ORDER BY s.start_time LIMIT 1",
	    "IIjssj", person, self, json_object_get(atelier, "date"), end, start,
	    json_object_get(atelier, "city"));
	if (!st)
		return -1;
	int rc = db_step(w->db, st, &w->err);
	out[0] = '\0';
	if (rc == 1) {
		const char *city = (const char *)sqlite3_column_text(st, 4);
		const char *here = json_str(atelier, "city");
		*other_city = city && here && strcmp(city, here) != 0;
		*other_atelier = sqlite3_column_int64(st, 5);
		snprintf(out, n, "session %lld \"%s\" (%s-%s%s%s)",
			 (long long)sqlite3_column_int64(st, 0), sqlite3_column_text(st, 1),
			 sqlite3_column_text(st, 2), sqlite3_column_text(st, 3), city ? ", " : "",
			 city ? city : "");
		sqlite3_reset(st);
	}
	return rc < 0 ? -1 : 0;
}

/* The rules of a session's hours: inside the Atelier's day, after its start,
 * before its end; no overlap with another session unless forced; no
 * speaker booked elsewhere at that time unless forced. */
static int check_hours(struct work *w, json_t *atelier, long long self, const char *start,
		       const char *end, bool force)
{
	const char *day_start = json_str(atelier, "time"), *day_end = json_str(atelier, "end");
	char clash[512];
	if (strcmp(end, start) <= 0)
		return work_fail(w, ADF_E_BAD_REQUEST, "end %s is not after the start %s", end,
				 start);
	if (strcmp(start, day_start) < 0)
		return work_fail(w, ADF_E_BAD_REQUEST,
				 "the session starts at %s, before the Atelier (%s)", start,
				 day_start);
	if (day_end && strcmp(end, day_end) > 0)
		return work_fail(w, ADF_E_BAD_REQUEST,
				 "the session ends at %s, after the Atelier (%s)", end, day_end);
	if (force)
		return 0;
	long long atelier_id = json_int(atelier, "id"), other;
	if (overlapping_session(w, atelier_id, self, start, end, &other, clash, sizeof clash) < 0)
		return -1;
	if (clash[0])
		return work_fail(w, ADF_E_CONFLICT, "%s-%s overlaps %s (use force to allow it)",
				 start, end, clash);
	if (self == 0)
		return 0;
	sqlite3_stmt *st = db_query(
	    w->db, &w->err, "SELECT person_id FROM participation WHERE session_id = ?", "I", self);
	if (!st)
		return -1;
	json_t *people = json_array();
	int rc;
	while ((rc = db_step(w->db, st, &w->err)) == 1)
		json_array_append_new(people, json_integer(sqlite3_column_int64(st, 0)));
	size_t i;
	json_t *p;
	json_array_foreach(people, i, p)
	{
		if (rc < 0)
			break;
		long long where;
		bool far;
		rc = speaker_clash(w, json_integer_value(p), self, atelier, start, end, clash,
				   sizeof clash, &where, &far);
		if (rc == 0 && clash[0]) {
			json_t *person = person_get(w, json_integer_value(p));
			const char *name = person ? json_str(person, "name") : "?";
			/* both bookings: the one refused and the one it meets */
			if (far)
				rc = work_fail(
				    w, ADF_E_CONFLICT,
				    "%s speaks in %s of Atelier %lld, in another city the "
				    "same day: not also in session %lld (%s-%s, %s) (use force "
				    "to allow it)",
				    name, clash, where, self, start, end,
				    json_str(atelier, "city"));
			else
				rc = work_fail(
				    w, ADF_E_CONFLICT,
				    "%s speaks in %s of Atelier %lld, at the same time: not "
				    "also in session %lld (%s-%s, %s) (use force to allow it)",
				    name, clash, where, self, start, end,
				    json_str(atelier, "city"));
			json_decref(person);
		}
	}
	json_decref(people);
	return rc < 0 ? -1 : 0;
}

static json_t *load_atelier(struct work *w, long long id)
{
	json_t *atelier = atelier_get(w, id);
	if (atelier && strcmp(json_str(atelier, "status"), "cancelled") == 0) {
		work_fail(w, ADF_E_CONFLICT, "Atelier %lld is cancelled", id);
		json_decref(atelier);
		return NULL;
	}
	return atelier;
}

static json_t *answer_session(struct work *w, long long id)
{
	snprintf(w->target, sizeof w->target, "session:%lld", id);
	return session_get(w, id);
}

json_t *session_add(struct work *w, long long atelier_id, const char *kind, const char *title,
		    const char *start, const char *end, bool force)
{
	json_t *atelier = load_atelier(w, atelier_id);
	if (!atelier)
		return NULL;
	int rc = check_hours(w, atelier, 0, start, end, force);
	if (rc == 0)
		rc = db_exec(w->db, &w->err,
			     "INSERT INTO session (atelier_id, kind, title, start_time, end_time)"
			     " VALUES (?, ?, ?, ?, ?)",
			     "Issss", json_int(atelier, "id"), kind, title, start, end);
	json_decref(atelier);
	return rc < 0 ? NULL : answer_session(w, db_last_id(w->db));
}

json_t *session_list(struct work *w, long long atelier_id)
{
	if (!work_found(atelier_get(w, atelier_id)))
		return NULL;
	return session_list_json(w, atelier_id);
}

/* Writes a session's new fields once its hours pass the rules. */
static json_t *session_store(struct work *w, json_t *session, const char *kind, const char *title,
			     const char *start, const char *end, bool force)
{
	long long id = json_int(session, "id");
	json_t *atelier = load_atelier(w, json_int(session, "atelier"));
	if (!atelier)
		return NULL;
	int rc = check_hours(w, atelier, id, start, end, force);
	json_decref(atelier);
	if (rc == 0)
		rc = db_exec(w->db, &w->err,
			     "UPDATE session SET kind = ?, title = ?, start_time = ?, end_time = ?"
			     " WHERE id = ?",
			     "ssssI", kind, title, start, end, id);
	return rc < 0 ? NULL : answer_session(w, id);
}

json_t *session_update(struct work *w, long long id, const char *kind, const char *title,
		       const char *start, const char *end, bool force)
{
	json_t *s = session_get(w, id);
	if (!s)
		return NULL;
	json_t *session = session_store(
	    w, s, kind ? kind : json_str(s, "kind"), title ? title : json_str(s, "title"),
	    start ? start : json_str(s, "start"), end ? end : json_str(s, "end"), force);
	json_decref(s);
	return session;
}

static int minutes(const char *hhmm)
{
	return ((hhmm[0] - '0') * 10 + hhmm[1] - '0') * 60 + (hhmm[3] - '0') * 10 + hhmm[4] - '0';
}

json_t *session_move(struct work *w, long long id, const char *start, bool force)
{
	json_t *s = session_get(w, id);
	if (!s)
		return NULL;
	int end_min = minutes(start) + minutes(json_str(s, "end")) - minutes(json_str(s, "start"));
	char end[16];
	json_t *session = NULL;
	if (end_min >= 24 * 60) {
		work_fail(w, ADF_E_BAD_REQUEST, "moved to %s, the session would end after midnight",
			  start);
	} else {
		snprintf(end, sizeof end, "%02d:%02d", end_min / 60, end_min % 60);
		session = session_store(w, s, json_str(s, "kind"), json_str(s, "title"), start, end,
					force);
	}
	json_decref(s);
	return session;
}

json_t *session_delete(struct work *w, long long id)
{
	snprintf(w->target, sizeof w->target, "session:%lld", id);
	if (!work_found(session_get(w, id)))
		return NULL;
	return work_deleted(w, db_exec(w->db, &w->err, "DELETE FROM session WHERE id = ?", "I", id),
			    id);
}

json_t *speaker_add(struct work *w, long long session_id, long long person_id, const char *role,
		    long long position, bool force)
{
	json_t *s = session_get(w, session_id);
	json_t *person = s ? person_get(w, person_id) : NULL;
	json_t *atelier = person ? load_atelier(w, json_int(s, "atelier")) : NULL;
	int rc = atelier ? 0 : -1;
	char clash[512];
	if (rc == 0 && db_scalar(w->db, &w->err,
				 "SELECT count(*) FROM participation WHERE session_id = ?"
				 " AND person_id = ?",
				 "II", session_id, person_id) > 0)
		rc = work_fail(w, ADF_E_CONFLICT, "%s is already in session %lld",
			       json_str(person, "name"), session_id);
	if (rc == 0 && !force) {
		long long where;
		bool far;
		rc = speaker_clash(w, person_id, session_id, atelier, json_str(s, "start"),
				   json_str(s, "end"), clash, sizeof clash, &where, &far);
		if (rc == 0 && clash[0])
			rc = work_fail(
			    w, ADF_E_CONFLICT,
			    /* N_: xgettext reads both texts of the choice */
			    far ? N_("%s already speaks in %s of Atelier %lld, in another city the "
				     "same day: not also in session %lld \"%s\" (%s-%s, %s) (use "
				     "force to allow it)")
				: N_("%s already speaks in %s of Atelier %lld, at the same time: "
				     "not "
				     "also in session %lld \"%s\" (%s-%s, %s) (use force to allow "
				     "it)"),
			    json_str(person, "name"), clash, where, session_id,
			    json_str(s, "title"), json_str(s, "start"), json_str(s, "end"),
			    json_str(atelier, "city"));
	}
	if (rc == 0) {
		if (position == 0)
			position =
			    db_scalar(w->db, &w->err,
				      "SELECT coalesce(max(position), 0) + 1 FROM participation"
				      " WHERE session_id = ? AND role = ?",
				      "Is", session_id, role);
		rc = position < 0
			 ? -1
			 : db_exec(w->db, &w->err,
				   "INSERT INTO participation (session_id, person_id, role,"
				   " position) VALUES (?, ?, ?, ?)",
				   "IIsI", session_id, person_id, role, position);
	}
	json_decref(atelier);
	json_decref(person);
	json_decref(s);
	return rc < 0 ? NULL : answer_session(w, session_id);
}

json_t *speaker_remove(struct work *w, long long session_id, long long person_id)
{
	int n = db_exec(w->db, &w->err,
			"DELETE FROM participation WHERE session_id = ? AND person_id = ?", "II",
			session_id, person_id);
	if (n < 0)
		return NULL;
	if (n == 0) {
		work_fail(w, ADF_E_NOT_FOUND, "person %lld does not speak in session %lld",
			  person_id, session_id);
		return NULL;
	}
	return answer_session(w, session_id);
}

static void add_finding(json_t *list, const char *severity, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void add_finding(json_t *list, const char *severity, const char *fmt, ...)
{
	/* with its template, so that adfctl says it in French */
	struct adf_error finding;
	va_list ap;
	va_start(ap, fmt);
	adf_vfail(&finding, ADF_OK, fmt, ap);
	va_end(ap);
	json_t *row = json_pack("{s:s}", "severity", severity), *e = proto_error_json(&finding);
	json_object_update(row, e);
	json_decref(e);
	json_array_append_new(list, row);
}

json_t *session_check_json(struct work *w, long long atelier_id)
{
	json_t *atelier = atelier_get(w, atelier_id);
	json_t *sessions = atelier ? session_list_json(w, atelier_id) : NULL;
	if (!sessions) {
		json_decref(atelier);
		return NULL;
	}
	json_t *findings = json_array();
	if (json_array_size(sessions) == 0)
		add_finding(findings, "gap", "Atelier %lld has no session", atelier_id);
	size_t i, j;
	json_t *s, *p;
	char clash[512];
	json_array_foreach(sessions, i, s)
	{
		long long id = json_int(s, "id");
		const char *kind = json_str(s, "kind");
		json_t *speakers = json_object_get(s, "speakers");
		bool has_moderator = false;
		json_array_foreach(speakers, j, p) has_moderator |=
		    strcmp(json_str(p, "role"), "animateur") == 0;
		if ((!strcmp(kind, "table-ronde") || !strcmp(kind, "labo")) && !has_moderator)
			add_finding(findings, "gap", "session %lld \"%s\" (%s) has no animateur",
				    id, json_str(s, "title"), kind);
		if (json_array_size(speakers) == 0 && strcmp(kind, "accueil") &&
		    strcmp(kind, "pause"))
			add_finding(findings, "gap", "session %lld \"%s\" has no speaker", id,
				    json_str(s, "title"));
		long long other;
		if (overlapping_session(w, atelier_id, id, json_str(s, "start"), json_str(s, "end"),
					&other, clash, sizeof clash) < 0)
			goto fail;
		/* each pair once: report it from the session with the lower id */
		if (clash[0] && id < other)
			add_finding(findings, "conflict", "session %lld (%s-%s) overlaps %s", id,
				    json_str(s, "start"), json_str(s, "end"), clash);
		json_array_foreach(speakers, j, p)
		{
			long long where;
			bool far;
			if (speaker_clash(w, json_int(p, "id"), id, atelier, json_str(s, "start"),
					  json_str(s, "end"), clash, sizeof clash, &where,
					  &far) < 0)
				goto fail;
			if (clash[0] && far)
				add_finding(
				    findings, "conflict",
				    "%s speaks in session %lld and in %s of Atelier %lld, in "
				    "another city the same day",
				    json_str(p, "name"), id, clash, where);
			else if (clash[0])
				add_finding(
				    findings, "conflict",
				    "%s speaks in session %lld and in %s of Atelier %lld, at "
				    "the same time",
				    json_str(p, "name"), id, clash, where);
		}
	}
	json_decref(sessions);
	json_decref(atelier);
	return findings;
fail:
	json_decref(findings);
	json_decref(sessions);
	json_decref(atelier);
	return NULL;
}
