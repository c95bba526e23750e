#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "atelier.h"
#include "date.h"
#include "db.h"
#include "paris.h"
#include "registration.h"
#include "text.h"
#include "work.h"

/* The waiting list position is computed when read, never stored stale. */
#define REGISTRATION_SELECT                                                                        \
	"SELECT r.id, r.atelier_id AS atelier, r.civility, r.name, r.first_name, r.last_name,"     \
	" r.email, r.organisation, r.category,"                                                    \
	" r.status, (SELECT position FROM waitlist_position p WHERE p.id = r.id) AS position,"     \
	" r.registered_at, r.attended_at, r.cancelled_at, r.cancel_reason, r.source,"              \
	" r.anonymised_at, r.news_consent_at FROM registration r"

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

long long registration_active_id(struct work *w, long long atelier, const char *email)
{
	char key[256];
	registration_email_key(email, key, sizeof key);
	return db_scalar(w->db, &w->err,
			 "SELECT coalesce(max(id), 0) FROM registration WHERE atelier_id = ?"
			 " AND email_key = ? AND status <> 'cancelled'",
			 "Is", atelier, key);
}

int registration_record_event(struct work *w, long long id, const char *kind)
{
	char now[21];
	db_now(now);
	return db_exec(
		   w->db, &w->err,
		   "INSERT INTO registration_event (registration_id, kind, at) VALUES (?, ?, ?)",
		   "Iss", id, kind, now) < 0
		   ? -1
		   : 0;
}

long long registration_seats_taken(struct work *w, long long atelier)
{
	/* kept by triggers (schema/007-seats.sql) */
	return db_scalar(w->db, &w->err, "SELECT seats_taken FROM atelier WHERE id = ?", "I",
			 atelier);
}

int registration_fill(struct work *w, long long atelier, json_t *promoted)
{
	long long capacity = db_scalar(w->db, &w->err,
				       "SELECT coalesce(capacity, 0) FROM atelier WHERE id = ?"
				       " AND status = 'scheduled'",
				       "I", atelier);
	long long taken = capacity > 0 ? registration_seats_taken(w, atelier) : 0;
	if (capacity < 0 || taken < 0)
		return -1;
	for (long long free = capacity - taken; free > 0; free--) {
		long long next =
		    db_scalar(w->db, &w->err,
			      "SELECT id FROM registration WHERE atelier_id = ?"
			      " AND status = 'waitlisted' ORDER BY queued_at, id LIMIT 1",
			      "I", atelier);
		if (next <= 0)
			return next < 0 ? -1 : 0;
		if (db_exec(w->db, &w->err,
			    "UPDATE registration SET status = 'confirmed' WHERE id = ?", "I",
			    next) < 0 ||
		    registration_record_event(w, next, "promoted") < 0)
			return -1;
		json_t *who = promoted ? registration_get(w, next) : NULL;
		if (who)
			json_array_append_new(
			    promoted, json_pack("{s:O,s:O,s:O}", "id", json_object_get(who, "id"),
						"name", json_object_get(who, "name"), "email",
						json_object_get(who, "email")));
		json_decref(who);
	}
	return 0;
}

bool registration_atelier_over(json_t *atelier)
{
	char today[11], now[21], ends[21];
	paris_today(today);
	const char *date = json_str(atelier, "date"), *end = json_str(atelier, "end");
	if (!strcmp(json_str(atelier, "status"), "held") || strcmp(date, today) < 0)
		return true;
	/* ended earlier today */
	db_now(now);
	return end && !strcmp(date, today) && paris_to_utc(date, end, ends) == 0 &&
	       strcmp(ends, now) <= 0;
}

enum registration_reason registration_closed(json_t *atelier)
{
	const char *status = json_str(atelier, "status");
	return !strcmp(status, "cancelled")	    ? REGISTRATION_ATELIER_CANCELLED
	       : registration_atelier_over(atelier) ? REGISTRATION_ATELIER_OVER
	       : strcmp(status, "scheduled") != 0   ? REGISTRATION_NOT_OPEN
						    : REGISTRATION_OK;
}

enum registration_reason registration_uncancellable(json_t *reg, json_t *atelier, bool by_owner)
{
	char today[11];
	paris_today(today);
	const char *status = json_str(reg, "status");
	if (!strcmp(status, "cancelled"))
		return REGISTRATION_ALREADY_CANCELLED;
	if (!strcmp(status, "attended"))
		return REGISTRATION_ATTENDED;
	/* an organiser may still tidy up after the day */
	if (by_owner && (strcmp(json_str(atelier, "date"), today) < 0 ||
			 !strcmp(json_str(atelier, "status"), "held")))
		return REGISTRATION_ATELIER_OVER;
	return REGISTRATION_OK;
}

int registration_check_open(struct work *w, json_t *atelier)
{
	long long id = json_integer_value(json_object_get(atelier, "id"));
	enum registration_reason why = registration_closed(atelier);
	switch (why) {
	case REGISTRATION_NOT_OPEN:
		return work_refuse(w, ADF_E_CONFLICT, why,
				   "Atelier %lld is a draft: not open for registration", id);
	case REGISTRATION_ATELIER_CANCELLED:
		return work_refuse(w, ADF_E_CONFLICT, why, "Atelier %lld is cancelled", id);
	case REGISTRATION_ATELIER_OVER:
		return work_refuse(w, ADF_E_CONFLICT, why,
				   "Atelier %lld took place on %s: registrations are closed", id,
				   json_str(atelier, "date"));
	default:
		return 0;
	}
}

/* Check-in is for the Atelier's day (from checkin_days_before days ahead)
 * or after: a person marked present weeks ahead would get no reminder and
 * no change notice. */
int registration_checkin_open(struct work *w, json_t *atelier, bool force)
{
	long long id = json_integer_value(json_object_get(atelier, "id"));
	const char *status = json_str(atelier, "status");
	if (!strcmp(status, "draft") || !strcmp(status, "cancelled"))
		return work_fail(w, ADF_E_CONFLICT, "Atelier %lld is %s: no check-in", id, status);
	int y, m, d;
	char today[11], opens[11];
	paris_today(today);
	if (!date_parse(json_str(atelier, "date"), &y, &m, &d))
		return work_fail(w, ADF_E_INTERNAL, "Atelier %lld has no valid date", id);
	civil_from_days(days_from_civil(y, m, d) - w->adfd->cfg.checkin_days_before, &y, &m, &d);
	snprintf(opens, sizeof opens, "%04d-%02d-%02d", y, m, d);
	if (strcmp(today, opens) < 0 && !force)
		return !strcmp(opens, json_str(atelier, "date"))
			   ? work_fail(
				 w, ADF_E_CONFLICT,
				 "Atelier %lld takes place on %s: check-in opens that day (use "
				 "force to check in now)",
				 id, opens)
			   : work_fail(w, ADF_E_CONFLICT,
				       "Atelier %lld takes place on %s: check-in opens on %s (use "
				       "force to check in now)",
				       id, json_str(atelier, "date"), opens);
	return 0;
}

/* Registers one person; *status receives "confirmed", "waitlisted" or
 * "attended" (a static string). */
int registration_add(struct work *w, json_t *atelier, const struct registration_form *f,
		     long long *id, const char **status)
{
	const char *name = f->name, *email = f->email, *org = f->org && *f->org ? f->org : NULL,
		   *category = f->category, *source = f->checkin ? "door" : f->source;
	/* the name in its two parts, and whole as people write it */
	char first[256], last[256], whole[520];
	if (f->last && *f->last) {
		snprintf(first, sizeof first, "%s", f->first ? f->first : "");
		snprintf(last, sizeof last, "%s", f->last);
		snprintf(whole, sizeof whole, "%s%s%s", first, *first ? " " : "", last);
		name = whole;
	} else {
		name_split(name ? name : "", first, sizeof first, last, sizeof last);
		/* the whole as typed, without the spaces around it */
		snprintf(whole, sizeof whole, "%s%s%s", first, *first ? " " : "", last);
		name = whole;
	}
	if (!last[strspn(last, " \t")])
		return work_fail(w, ADF_E_BAD_REQUEST, "name: a surname at least");
	bool checkin = f->checkin;
	long long atelier_id = json_integer_value(json_object_get(atelier, "id"));
	long long capacity = json_integer_value(json_object_get(atelier, "capacity"));
	char key[256], now[21], queued[32], token[65], trimmed[256], code[CHECKIN_CODE_LEN + 1];
	/* spreadsheets and forms leave spaces around addresses */
	while (*email == ' ' || *email == '\t')
		email++;
	snprintf(trimmed, sizeof trimmed, "%s", email);
	for (size_t n = strlen(trimmed);
	     n > 0 && (trimmed[n - 1] == ' ' || trimmed[n - 1] == '\t');)
		trimmed[--n] = '\0';
	email = trimmed;
	if (!email_valid(email))
		return work_fail(
		    w, ADF_E_BAD_REQUEST, "email: \"%s\" is not a valid e-mail address%s", email,
		    text_is_ascii(email) ? ""
					 : " (letters with accents cannot be delivered: "
					   "give the address without them)");
	if (checkin && registration_checkin_open(w, atelier, f->force) < 0)
		return -1;
	registration_email_key(email, key, sizeof key);
	sqlite3_stmt *st = db_query(w->db, &w->err,
				    "SELECT id, status FROM registration WHERE atelier_id = ?"
				    " AND email_key = ?",
				    "Is", atelier_id, key);
	if (!st)
		return -1;
	int rc = db_step(w->db, st, &w->err);
	if (rc < 0)
		return -1;
	long long existing = rc == 1 ? sqlite3_column_int64(st, 0) : 0;
	if (rc == 1) {
		char was[16];
		snprintf(was, sizeof was, "%s", sqlite3_column_text(st, 1));
		sqlite3_reset(st);
		if (strcmp(was, "cancelled") != 0)
			return work_refuse(
			    w, ADF_E_CONFLICT, REGISTRATION_ALREADY_REGISTERED,
			    "%s is already registered to Atelier %lld (registration %lld, "
			    "%s)",
			    email, atelier_id, existing, was);
	}
	long long taken = registration_seats_taken(w, atelier_id);
	if (taken < 0)
		return -1;
	bool seat = taken < capacity;
	if (checkin && !seat && !f->force)
		return work_fail(w, ADF_E_FULL,
				 "Atelier %lld is full (%lld seats): use force to admit a walk-in",
				 atelier_id, capacity);
	/* a waiting list may be bounded: past it, nobody is kept waiting for
	 * a seat that will likely not come */
	json_t *max = json_object_get(atelier, "waitlist_max");
	if (!checkin && !seat && json_is_integer(max)) {
		long long waiting =
		    db_scalar(w->db, &w->err,
			      "SELECT count(*) FROM registration WHERE atelier_id = ?"
			      " AND status = 'waitlisted'",
			      "I", atelier_id);
		if (waiting < 0)
			return -1;
		if (waiting >= json_integer_value(max))
			return work_refuse(
			    w, ADF_E_FULL, REGISTRATION_WAITLIST_FULL,
			    "Atelier %lld is full and so is its waiting list (%lld): "
			    "registrations are closed",
			    atelier_id, (long long)json_integer_value(max));
	}
	*status = checkin ? "attended" : seat ? "confirmed" : "waitlisted";
	db_now(now);
	db_now_precise(queued);
	if (existing) {
		/* one row per address and Atelier: a cancelled one comes back, at the
		 * end of the queue */
		rc = db_exec(
		    w->db, &w->err,
		    "UPDATE registration SET name = ?, email = ?, organisation = ?,"
		    " category = ?, status = ?, queued_at = ?, registered_at = ?,"
		    " cancelled_at = NULL, cancel_reason = NULL, attended_at = ?, source = ?,"
		    " civility = ?, first_name = ?, last_name = ? WHERE id = ?",
		    "ssssssssssssI", name, email, org, category, *status, queued, now,
		    checkin ? now : NULL, source, f->civility, first, last, existing);
		*id = existing;
	} else {
		random_hex(token, 32);
		random_digits(code, CHECKIN_CODE_LEN);
		rc = db_exec(w->db, &w->err,
			     "INSERT INTO registration (atelier_id, name, email, email_key,"
			     " organisation, category, status, token, queued_at, registered_at,"
			     " attended_at, source, civility, checkin_code, first_name, last_name)"
			     " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
			     "Isssssssssssssss", atelier_id, name, email, key, org, category,
			     *status, token, queued, now, checkin ? now : NULL, source, f->civility,
			     code, first, last);
		*id = db_last_id(w->db);
	}
	if (rc < 0)
		return -1;
	/* a walk-in is in the room: confirmed, even beyond capacity, never
	 * told of a waiting list */
	if (checkin)
		return registration_record_event(w, *id, "confirmed") < 0
			   ? -1
			   : registration_record_event(w, *id, "attended");
	return registration_record_event(w, *id, *status);
}

json_t *registration_get(struct work *w, long long id)
{
	json_t *row =
	    work_row(w, db_query(w->db, &w->err, REGISTRATION_SELECT " WHERE r.id = ?", "I", id),
		     "no registration %lld", id);
	return row;
}

static json_t *answer_registration(struct work *w, long long id)
{
	snprintf(w->target, sizeof w->target, "registration:%lld", id);
	return registration_get(w, id);
}

json_t *registration_register(struct work *w, long long atelier_id,
			      const struct registration_form *f)
{
	char now[21];
	json_t *atelier = atelier_get(w, atelier_id);
	if (!atelier || registration_check_open(w, atelier) < 0) {
		json_decref(atelier);
		return NULL;
	}
	long long id = f->again_told ? registration_active_id(w, atelier_id, f->email) : 0;
	const char *status;
	bool again = id > 0;
	int rc = id < 0 ? -1 : 0;
	if (again) {
		/* registered already: the owner gets a mail, the answer tells a
		 * stranger nothing new */
		rc = registration_record_event(w, id, "again");
	} else if (rc == 0) {
		rc = registration_add(w, atelier, f, &id, &status);
		/* the optional consent, with its time */
		db_now(now);
		if (rc == 0 && f->news)
			rc = db_exec(w->db, &w->err,
				     "UPDATE registration SET news_consent_at = ? WHERE id = ?",
				     "sI", now, id) < 0
				 ? -1
				 : 0;
	}
	json_decref(atelier);
	json_t *reg = rc < 0 ? NULL : answer_registration(w, id);
	if (reg && f->again_told)
		json_object_set_new(reg, "again", json_boolean(again));
	return reg;
}

json_t *registration_list(struct work *w, long long atelier, long long after, json_t *status,
			  json_t *category, long long limit)
{
	if (!work_found(atelier_get(w, atelier)))
		return NULL;
	/* one pass over the Atelier's queue numbers the waiting list: the same
	 * order as the view waitlist_position (schema/014), which a page of a
	 * thousand rows would ask a thousand times */
	sqlite3_stmt *st = db_query(
	    w->db, &w->err,
	    "SELECT id, atelier, name, first_name, last_name, email, organisation, category,"
	    " status, position, registered_at, attended_at, cancelled_at FROM (SELECT r.id,"
	    " r.atelier_id AS atelier, r.name, r.first_name, r.last_name, r.email,"
	    " r.organisation, r.category, r.status, CASE WHEN"
	    " r.status = 'waitlisted' THEN row_number() OVER (PARTITION BY r.status = 'waitlisted'"
	    " ORDER BY r.queued_at, r.id) END AS position, r.registered_at, r.attended_at,"
	    " r.cancelled_at FROM registration r WHERE r.atelier_id = ?1)"
	    " WHERE id > ?2 AND (?3 IS NULL OR status = ?3) AND (?4 IS NULL OR category = ?4)"
	    " ORDER BY id LIMIT ?5",
	    "IIjjI", atelier, after, status, category, limit);
	return db_rows_json(w->db, st, &w->err);
}

json_t *registration_show(struct work *w, long long id, bool with_secrets)
{
	json_t *reg = registration_get(w, id);
	if (!reg)
		return NULL;
	/* an admin may hand the cancel link on; a reader never sees it (it
	 * would let them cancel anyone), and lists never show it; a forgotten
	 * person has no link left to give */
	with_secrets = with_secrets && !json_str(reg, "anonymised_at");
	json_t *token =
	    with_secrets
		? db_row(w->db,
			 db_query(w->db, &w->err,
				  "SELECT token, checkin_code FROM registration WHERE id = ?", "I",
				  id),
			 &w->err)
		: NULL;
	if (token)
		json_object_update(reg, token);
	json_decref(token);
	char url[300];
	if (with_secrets && registration_cancel_url(w, id, url, sizeof url))
		json_object_set_new(reg, "cancel_url", json_string(url));
	json_t *events = db_rows_json(
	    w->db,
	    db_query(
		w->db, &w->err,
		"SELECT kind, at FROM registration_event WHERE registration_id = ? ORDER BY id",
		"I", id),
	    &w->err);
	if (!events) {
		json_decref(reg);
		return NULL;
	}
	json_object_set_new(reg, "events", events);
	return reg;
}

json_t *registration_cancel(struct work *w, long long id, const char *reason, bool by_owner,
			    bool no_news)
{
	json_t *reg = registration_get(w, id);
	if (!reg)
		return NULL;
	snprintf(w->target, sizeof w->target, "registration:%lld", id);
	const char *status = json_str(reg, "status");
	long long atelier_id = json_integer_value(json_object_get(reg, "atelier"));
	json_t *atelier = atelier_get(w, atelier_id);
	int rc = atelier ? 0 : -1;
	char now[21];
	db_now(now);
	enum registration_reason why =
	    atelier ? registration_uncancellable(reg, atelier, by_owner) : REGISTRATION_OK;
	if (why == REGISTRATION_ALREADY_CANCELLED)
		rc = work_refuse(w, ADF_E_CONFLICT, why, "registration %lld is already cancelled",
				 id);
	else if (why == REGISTRATION_ATTENDED)
		rc = work_refuse(w, ADF_E_CONFLICT, why,
				 "registration %lld has attended: cannot cancel it", id);
	else if (why != REGISTRATION_OK)
		rc =
		    work_refuse(w, ADF_E_CONFLICT, why,
				"Atelier %lld took place: registration %lld stays", atelier_id, id);
	if (rc == 0)
		rc = db_exec(w->db, &w->err,
			     "UPDATE registration SET status = 'cancelled', cancelled_at = ?,"
			     " cancel_reason = ? WHERE id = ?",
			     "ssI", now, reason, id) < 0
			 ? -1
			 : registration_record_event(w, id, "cancelled");
	/* a freed seat goes to the first on the waiting list, in this transaction */
	json_t *promoted = json_array();
	if (rc == 0 && !strcmp(status, "confirmed"))
		rc = registration_fill(w, atelier_id, promoted);
	/* a mail client's one-click unsubscribe stops every mail, news of
	 * the next Ateliers included */
	if (rc == 0 && no_news)
		rc = registration_withdraw_news(w, id);
	json_decref(atelier);
	json_decref(reg);
	json_t *answer = rc < 0 ? NULL : answer_registration(w, id);
	/* the organiser hears whom the freed seat went to */
	if (answer)
		json_object_set(answer, "promoted", promoted);
	json_decref(promoted);
	return answer;
}

int registration_withdraw_news(struct work *w, long long id)
{
	snprintf(w->target, sizeof w->target, "registration:%lld", id);
	return db_exec(w->db, &w->err,
		       "UPDATE registration SET news_consent_at = NULL WHERE id = ?", "I", id) < 0
		   ? -1
		   : 0;
}

int registration_attend(struct work *w, long long id)
{
	char now[21];
	db_now(now);
	return db_exec(w->db, &w->err,
		       "UPDATE registration SET status = 'attended', attended_at = ? WHERE id = ?",
		       "sI", now, id) < 0
		   ? -1
		   : registration_record_event(w, id, "attended");
}

json_t *registration_checkin(struct work *w, long long atelier, const char *email, bool force)
{
	char key[256];
	json_t *a = atelier_get(w, atelier);
	int open = a ? registration_checkin_open(w, a, force) : -1;
	json_decref(a);
	if (open < 0)
		return NULL;
	registration_email_key(email, key, sizeof key);
	long long id = db_scalar(
	    w->db, &w->err, "SELECT id FROM registration WHERE atelier_id = ? AND email_key = ?",
	    "Is", atelier, key);
	if (id < 0)
		return NULL;
	if (id == 0) {
		work_fail(w, ADF_E_NOT_FOUND, "%s is not registered to Atelier %lld", email,
			  atelier);
		return NULL;
	}
	json_t *reg = registration_get(w, id);
	if (!reg)
		return NULL;
	const char *status = json_str(reg, "status");
	int rc = 0;
	bool already = !strcmp(status, "attended");
	if (!strcmp(status, "cancelled"))
		rc = work_fail(w, ADF_E_CONFLICT, "registration %lld was cancelled", id);
	else if (!strcmp(status, "waitlisted") && !force)
		rc =
		    work_fail(w, ADF_E_FULL,
			      "registration %lld is on the waiting list (position %lld): use force "
			      "to admit them beyond capacity",
			      id, (long long)json_integer_value(json_object_get(reg, "position")));
	if (rc == 0 && !already)
		rc = registration_attend(w, id);
	json_decref(reg);
	json_t *answer = rc < 0 ? NULL : answer_registration(w, id);
	/* a second check-in is no error, and says so */
	if (answer)
		json_object_set_new(answer, "already_checked_in", json_boolean(already));
	return answer;
}

bool registration_survey_url(struct work *w, long long id, char *out, size_t n)
{
	const char *base = w->adfd->cfg.http_port ? w->adfd->cfg.http_base_url : NULL;
	if (!base || id <= 0)
		return false;
	struct adf_error err;
	json_t *row = db_row(w->db,
			     db_query(w->db, &err,
				      "SELECT token FROM registration WHERE id = ?"
				      " AND status = 'attended' AND anonymised_at IS NULL",
				      "I", id),
			     &err);
	if (row)
		snprintf(out, n, "%s/avis/%s", base, json_str(row, "token"));
	json_decref(row);
	return row != NULL;
}

bool registration_cancel_url(struct work *w, long long id, char *out, size_t n)
{
	const char *base = w->adfd->cfg.http_port ? w->adfd->cfg.http_base_url : NULL;
	if (!base || id <= 0)
		return false;
	struct adf_error err;
	json_t *row = db_row(
	    w->db, db_query(w->db, &err, "SELECT token FROM registration WHERE id = ?", "I", id),
	    &err);
	if (row)
		snprintf(out, n, "%s/annulation/%s", base,
			 json_string_value(json_object_get(row, "token")));
	json_decref(row);
	return row != NULL;
}

int registration_names_backfill(struct work *w)
{
	json_t *rows =
	    db_rows_json(w->db,
			 db_query(w->db, &w->err,
				  "SELECT id, name FROM registration WHERE last_name IS NULL"
				  " AND anonymised_at IS NULL",
				  ""),
			 &w->err);
	if (!rows)
		return -1;
	size_t i;
	json_t *row;
	int done = 0;
	json_array_foreach(rows, i, row)
	{
		char first[256], last[256];
		name_split(json_str(row, "name"), first, sizeof first, last, sizeof last);
		if (db_exec(w->db, &w->err,
			    "UPDATE registration SET first_name = ?, last_name = ? WHERE id = ?",
			    "ssI", first, last, json_int(row, "id")) < 0) {
			done = -1;
			break;
		}
		done++;
	}
	json_decref(rows);
	return done;
}
