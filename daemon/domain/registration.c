#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "atelier.h"
#include "date.h"
#include "db.h"
#include "dispatch.h"
#include "handlers.h"
#include "outbox.h"
#include "paris.h"
#include "registration.h"
#include "text.h"

/* The waiting list position is computed when read, never stored stale. */
#define REGISTRATION_SELECT                                                                        \
	"SELECT r.id, r.atelier_id AS atelier, r.name, r.email, r.organisation, r.category,"       \
	" r.status, CASE WHEN r.status = 'waitlisted' THEN (SELECT count(*) FROM registration w"   \
	"  WHERE w.atelier_id = r.atelier_id AND w.status = 'waitlisted' AND (w.queued_at <"       \
	"  r.queued_at OR (w.queued_at = r.queued_at AND w.id <= r.id))) END AS position,"         \
	" r.registered_at, r.attended_at, r.cancelled_at, r.cancel_reason, r.source,"              \
	" r.anonymised_at, r.news_consent_at FROM registration r"

static const char *get(json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

void registration_email_key(const char *email, char *out, size_t n)
{
	while (*email == ' ' || *email == '\t')
		email++;
	size_t len = strlen(email);
	while (len > 0 && (email[len - 1] == ' ' || email[len - 1] == '\t'))
		len--;
	size_t i = 0;
	for (; i < len && i + 1 < n; i++)
		out[i] = (char)tolower((unsigned char)email[i]);
	out[i] = '\0';
}

long long registration_active_id(struct req *r, long long atelier, const char *email)
{
	char key[256];
	registration_email_key(email, key, sizeof key);
	return db_scalar(r->db, &r->err,
			 "SELECT coalesce(max(id), 0) FROM registration WHERE atelier_id = ?"
			 " AND email_key = ? AND status <> 'cancelled'",
			 "Is", atelier, key);
}

int registration_record_event(struct req *r, long long id, const char *kind)
{
	char now[21];
	db_now(now);
	return db_exec(
		   r->db, &r->err,
		   "INSERT INTO registration_event (registration_id, kind, at) VALUES (?, ?, ?)",
		   "Iss", id, kind, now) < 0
		   ? -1
		   : 0;
}

long long registration_seats_taken(struct req *r, long long atelier)
{
	/* kept by triggers (schema/007-seats.sql) */
	return db_scalar(r->db, &r->err, "SELECT seats_taken FROM atelier WHERE id = ?", "I",
			 atelier);
}

int registration_fill(struct req *r, long long atelier)
{
	long long capacity = db_scalar(r->db, &r->err,
				       "SELECT coalesce(capacity, 0) FROM atelier WHERE id = ?"
				       " AND status = 'scheduled'",
				       "I", atelier);
	long long taken = capacity > 0 ? registration_seats_taken(r, atelier) : 0;
	if (capacity < 0 || taken < 0)
		return -1;
	for (long long free = capacity - taken; free > 0; free--) {
		long long next =
		    db_scalar(r->db, &r->err,
			      "SELECT id FROM registration WHERE atelier_id = ?"
			      " AND status = 'waitlisted' ORDER BY queued_at, id LIMIT 1",
			      "I", atelier);
		if (next <= 0)
			return next < 0 ? -1 : 0;
		if (db_exec(r->db, &r->err,
			    "UPDATE registration SET status = 'confirmed' WHERE id = ?", "I",
			    next) < 0 ||
		    registration_record_event(r, next, "promoted") < 0)
			return -1;
	}
	return 0;
}

bool registration_atelier_over(json_t *atelier)
{
	char today[11], now[21], ends[21];
	paris_today(today);
	const char *date = get(atelier, "date"), *end = get(atelier, "end");
	if (!strcmp(get(atelier, "status"), "held") || strcmp(date, today) < 0)
		return true;
	/* ended earlier today */
	db_now(now);
	return end && !strcmp(date, today) && paris_to_utc(date, end, ends) == 0 &&
	       strcmp(ends, now) <= 0;
}

int registration_check_open(struct req *r, json_t *atelier)
{
	long long id = json_integer_value(json_object_get(atelier, "id"));
	const char *status = get(atelier, "status");
	if (!strcmp(status, "draft"))
		return req_fail(r, ADF_E_CONFLICT,
				"Atelier %lld is a draft: not open for registration", id);
	if (!strcmp(status, "cancelled"))
		return req_fail(r, ADF_E_CONFLICT, "Atelier %lld is cancelled", id);
	if (registration_atelier_over(atelier))
		return req_fail(r, ADF_E_CONFLICT,
				"Atelier %lld took place on %s: registrations are closed", id,
				get(atelier, "date"));
	return 0;
}

/* Check-in is for the Atelier's day (from checkin_days_before days ahead)
 * or after: a person marked present weeks ahead would get no reminder and
 * no change notice. */
static int check_checkin_open(struct req *r, json_t *atelier)
{
	long long id = json_integer_value(json_object_get(atelier, "id"));
	const char *status = get(atelier, "status");
	if (!strcmp(status, "draft") || !strcmp(status, "cancelled"))
		return req_fail(r, ADF_E_CONFLICT, "Atelier %lld is %s: no check-in", id, status);
	int y, m, d;
	char today[11], opens[11];
	paris_today(today);
	if (!date_parse(get(atelier, "date"), &y, &m, &d))
		return req_fail(r, ADF_E_INTERNAL, "Atelier %lld has no valid date", id);
	civil_from_days(days_from_civil(y, m, d) - r->adfd->cfg.checkin_days_before, &y, &m, &d);
	snprintf(opens, sizeof opens, "%04d-%02d-%02d", y, m, d);
	if (strcmp(today, opens) < 0 && !arg_bool(r, "force"))
		return req_fail(r, ADF_E_CONFLICT,
				"Atelier %lld takes place on %s: check-in opens on %s (use force "
				"to check in now)",
				id, get(atelier, "date"), opens);
	return 0;
}

int registration_add(struct req *r, json_t *atelier, const char *name, const char *email,
		     const char *org, const char *category, const char *source, bool checkin,
		     long long *id, const char **status)
{
	long long atelier_id = json_integer_value(json_object_get(atelier, "id"));
	long long capacity = json_integer_value(json_object_get(atelier, "capacity"));
	char key[256], now[21], queued[32], token[65], trimmed[256];
	/* spreadsheets and forms leave spaces around addresses */
	while (*email == ' ' || *email == '\t')
		email++;
	snprintf(trimmed, sizeof trimmed, "%s", email);
	for (size_t n = strlen(trimmed);
	     n > 0 && (trimmed[n - 1] == ' ' || trimmed[n - 1] == '\t');)
		trimmed[--n] = '\0';
	email = trimmed;
	if (!email_valid(email))
		return req_fail(
		    r, ADF_E_BAD_REQUEST, "email: \"%s\" is not a valid e-mail address%s", email,
		    text_is_ascii(email) ? ""
					 : " (letters with accents cannot be delivered: "
					   "give the address without them)");
	if (checkin && check_checkin_open(r, atelier) < 0)
		return -1;
	registration_email_key(email, key, sizeof key);
	sqlite3_stmt *st = db_query(r->db, &r->err,
				    "SELECT id, status FROM registration WHERE atelier_id = ?"
				    " AND email_key = ?",
				    "Is", atelier_id, key);
	if (!st)
		return -1;
	int rc = db_step(r->db, st, &r->err);
	if (rc < 0)
		return -1;
	long long existing = rc == 1 ? sqlite3_column_int64(st, 0) : 0;
	if (rc == 1) {
		char was[16];
		snprintf(was, sizeof was, "%s", sqlite3_column_text(st, 1));
		sqlite3_reset(st);
		if (strcmp(was, "cancelled") != 0)
			return req_fail(
			    r, ADF_E_CONFLICT,
			    "%s is already registered to Atelier %lld (registration %lld, "
			    "%s)",
			    email, atelier_id, existing, was);
	}
	long long taken = registration_seats_taken(r, atelier_id);
	if (taken < 0)
		return -1;
	bool seat = taken < capacity;
	if (checkin && !seat && !arg_bool(r, "force"))
		return req_fail(r, ADF_E_FULL,
				"Atelier %lld is full (%lld seats): use force to admit a walk-in",
				atelier_id, capacity);
	*status = checkin ? "attended" : seat ? "confirmed" : "waitlisted";
	db_now(now);
	db_now_precise(queued);
	if (existing) {
		/* one row per address and Atelier: a cancelled one comes back, at the
		 * end of the queue */
		rc = db_exec(
		    r->db, &r->err,
		    "UPDATE registration SET name = ?, email = ?, organisation = ?,"
		    " category = ?, status = ?, queued_at = ?, registered_at = ?,"
		    " cancelled_at = NULL, cancel_reason = NULL, attended_at = ?, source = ?"
		    " WHERE id = ?",
		    "sssssssssI", name, email, org, category, *status, queued, now,
		    checkin ? now : NULL, source, existing);
		*id = existing;
	} else {
		random_hex(token, 32);
		rc = db_exec(r->db, &r->err,
			     "INSERT INTO registration (atelier_id, name, email, email_key,"
			     " organisation, category, status, token, queued_at, registered_at,"
			     " attended_at, source) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
			     "Isssssssssss", atelier_id, name, email, key, org, category, *status,
			     token, queued, now, checkin ? now : NULL, source);
		*id = db_last_id(r->db);
	}
	if (rc < 0)
		return -1;
	/* a walk-in is in the room: confirmed, even beyond capacity, never
	 * told of a waiting list */
	if (checkin)
		return registration_record_event(r, *id, "confirmed") < 0
			   ? -1
			   : registration_record_event(r, *id, "attended");
	return registration_record_event(r, *id, *status);
}

json_t *registration_get(struct req *r, long long id)
{
	sqlite3_stmt *st = db_query(r->db, &r->err, REGISTRATION_SELECT " WHERE r.id = ?", "I", id);
	if (!st)
		return NULL;
	int rc = db_step(r->db, st, &r->err);
	if (rc == 0)
		req_fail(r, ADF_E_NOT_FOUND, "no registration %lld", id);
	if (rc <= 0)
		return NULL;
	json_t *row = db_row_json(st);
	sqlite3_reset(st);
	return row;
}

static int answer_registration(struct req *r, long long id)
{
	snprintf(r->target, sizeof r->target, "registration:%lld", id);
	r->data = registration_get(r, id);
	return r->data ? 0 : -1;
}

/* The Atelier named by the "atelier" argument, open for registration. */
static json_t *open_atelier(struct req *r)
{
	json_t *atelier = atelier_get(r, arg_int(r, "atelier", 0));
	if (atelier && registration_check_open(r, atelier) < 0) {
		json_decref(atelier);
		return NULL;
	}
	return atelier;
}

int h_register(struct req *r)
{
	json_t *atelier = open_atelier(r);
	if (!atelier)
		return -1;
	long long id;
	const char *status;
	int rc = registration_add(r, atelier, arg_str(r, "name"), arg_str(r, "email"),
				  arg_str(r, "org"), arg_str(r, "category"), "adfctl",
				  arg_bool(r, "checkin"), &id, &status);
	json_decref(atelier);
	return rc < 0 ? -1 : answer_registration(r, id);
}

int h_registration_list(struct req *r)
{
	long long atelier = arg_int(r, "atelier", 0);
	json_t *a = atelier_get(r, atelier);
	if (!a)
		return -1;
	json_decref(a);
	/* one pass over the Atelier's queue numbers the waiting list */
	sqlite3_stmt *st = db_query(
	    r->db, &r->err,
	    "SELECT id, atelier, name, email, organisation, category, status, position,"
	    " registered_at, attended_at, cancelled_at FROM (SELECT r.id, r.atelier_id AS"
	    " atelier, r.name, r.email, r.organisation, r.category, r.status, CASE WHEN"
	    " r.status = 'waitlisted' THEN row_number() OVER (PARTITION BY r.status = 'waitlisted'"
	    " ORDER BY r.queued_at, r.id) END AS position, r.registered_at, r.attended_at,"
	    " r.cancelled_at FROM registration r WHERE r.atelier_id = ?1)"
	    " WHERE id > ?2 AND (?3 IS NULL OR status = ?3) AND (?4 IS NULL OR category = ?4)"
	    " ORDER BY id LIMIT ?5",
	    "IIjjI", atelier, arg_int(r, "after", 0), json_object_get(r->args, "status"),
	    json_object_get(r->args, "category"), arg_int(r, "limit", 1000));
	r->data = db_rows_json(r->db, st, &r->err);
	return r->data ? 0 : -1;
}

int h_registration_show(struct req *r)
{
	long long id = arg_int(r, "id", 0);
	r->data = registration_get(r, id);
	if (!r->data)
		return -1;
	/* an admin may hand the cancel link on; a reader never sees it (it
	 * would let them cancel anyone), and lists never show it */
	sqlite3_stmt *st;
	bool admin = r->peer && r->peer->role == ROLE_ADMIN;
	st = admin
		 ? db_query(r->db, &r->err, "SELECT token FROM registration WHERE id = ?", "I", id)
		 : NULL;
	if (st && db_step(r->db, st, &r->err) == 1) {
		json_object_set_new(r->data, "token",
				    json_string((const char *)sqlite3_column_text(st, 0)));
		sqlite3_reset(st);
	}
	char url[300];
	if (admin && mail_cancel_url(r, id, url, sizeof url))
		json_object_set_new(r->data, "cancel_url", json_string(url));
	st = db_query(
	    r->db, &r->err,
	    "SELECT kind, at FROM registration_event WHERE registration_id = ? ORDER BY id", "I",
	    id);
	if (!st)
		return -1;
	json_t *events = json_array();
	int rc;
	while ((rc = db_step(r->db, st, &r->err)) == 1)
		json_array_append_new(events, db_row_json(st));
	json_object_set_new(r->data, "events", events);
	return rc;
}

int h_registration_cancel(struct req *r)
{
	long long id = arg_int(r, "id", 0);
	json_t *reg = registration_get(r, id);
	if (!reg)
		return -1;
	snprintf(r->target, sizeof r->target, "registration:%lld", id);
	const char *status = get(reg, "status");
	long long atelier = json_integer_value(json_object_get(reg, "atelier"));
	int rc = 0;
	char now[21];
	db_now(now);
	if (!strcmp(status, "cancelled"))
		rc = req_fail(r, ADF_E_CONFLICT, "registration %lld is already cancelled", id);
	else if (!strcmp(status, "attended"))
		rc = req_fail(r, ADF_E_CONFLICT, "registration %lld has attended: cannot cancel it",
			      id);
	if (rc == 0)
		rc = db_exec(r->db, &r->err,
			     "UPDATE registration SET status = 'cancelled', cancelled_at = ?,"
			     " cancel_reason = ? WHERE id = ?",
			     "ssI", now, arg_str(r, "reason"), id) < 0
			 ? -1
			 : registration_record_event(r, id, "cancelled");
	/* a freed seat goes to the first on the waiting list, in this transaction */
	if (rc == 0 && !strcmp(status, "confirmed"))
		rc = registration_fill(r, atelier);
	json_decref(reg);
	return rc < 0 ? -1 : answer_registration(r, id);
}

int h_registration_checkin(struct req *r)
{
	long long atelier = arg_int(r, "atelier", 0);
	char key[256], now[21];
	json_t *a = atelier_get(r, atelier);
	int open = a ? check_checkin_open(r, a) : -1;
	json_decref(a);
	if (open < 0)
		return -1;
	registration_email_key(arg_str(r, "email"), key, sizeof key);
	long long id = db_scalar(
	    r->db, &r->err, "SELECT id FROM registration WHERE atelier_id = ? AND email_key = ?",
	    "Is", atelier, key);
	if (id < 0)
		return -1;
	if (id == 0)
		return req_fail(r, ADF_E_NOT_FOUND, "%s is not registered to Atelier %lld",
				arg_str(r, "email"), atelier);
	json_t *reg = registration_get(r, id);
	if (!reg)
		return -1;
	const char *status = get(reg, "status");
	int rc = 0;
	bool already = !strcmp(status, "attended");
	if (!strcmp(status, "cancelled"))
		rc = req_fail(r, ADF_E_CONFLICT, "registration %lld was cancelled", id);
	else if (!strcmp(status, "waitlisted") && !arg_bool(r, "force"))
		rc = req_fail(r, ADF_E_FULL,
			      "registration %lld is on the waiting list (position %lld): use force "
			      "to admit them beyond capacity",
			      id, (long long)json_integer_value(json_object_get(reg, "position")));
	db_now(now);
	if (rc == 0 && !already)
		rc = db_exec(r->db, &r->err,
			     "UPDATE registration SET status = 'attended', attended_at = ?"
			     " WHERE id = ?",
			     "sI", now, id) < 0
			 ? -1
			 : registration_record_event(r, id, "attended");
	json_decref(reg);
	if (rc < 0 || answer_registration(r, id) < 0)
		return -1;
	/* a second check-in is no error, and says so */
	json_object_set_new(r->data, "already_checked_in", json_boolean(already));
	return 0;
}
