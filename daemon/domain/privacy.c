#include "config.h"

#include <event2/event.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "date.h"
#include "db.h"
#include "dispatch.h"
#include "handlers.h"
#include "log.h"
#include "mailer.h"
#include "paris.h"
#include "privacy.h"
#include "registration.h"

/* What stays of a forgotten registration: its status and category, so the
 * numbers of the bilan do not change. */
#define ANONYMISE_REGISTRATIONS                                                                    \
	"UPDATE registration SET name = 'Anonyme', email = 'anonyme-' || id || '@invalid',"        \
	" email_key = 'anonyme-' || id || '@invalid', organisation = NULL,"                        \
	" cancel_reason = NULL, anonymised_at = ?1 WHERE anonymised_at IS NULL AND "

/* What the outbox holds of people is erased in the rows of a forgotten
 * address (?1; a key of an older adfd ended with it), or of the Ateliers
 * before a retention cutoff (?1) and mail about none older than that.
 * Literal texts: the statement cache knows them by address. */
#define SCRUB_SET                                                                                  \
	"UPDATE outbox SET recipient = 'anonyme-' || id || '@invalid', recipient_name = NULL,"     \
	" subject = '(effacé)', body = '', ics = NULL, last_error = NULL,"                        \
	" dedupe_key = CASE WHEN dedupe_key LIKE '%@%' THEN 'erased:' || id ELSE dedupe_key END,"  \
	" state = CASE WHEN state IN ('pending', 'sending') THEN 'cancelled' ELSE state END"
#define WHERE_FORGOTTEN                                                                            \
	" WHERE lower(recipient) = ?1 OR (dedupe_key LIKE '%@%'"                                   \
	" AND substr(dedupe_key, -length(?1)) = ?1)"
#define WHERE_RETAINED_TOO_LONG                                                                    \
	" WHERE recipient NOT LIKE 'anonyme-%@invalid' AND (atelier_id IN"                         \
	" (SELECT id FROM atelier WHERE date < ?1) OR (atelier_id IS NULL AND created_at < ?1))"

/* Erases address, name, text, invitation, the server's error (which may
 * quote the address) and an address-bearing key in the rows picked, and
 * the copies a maildir transport delivered; mail not sent yet is not sent
 * any more. Returns how many rows, or -1. */
static int scrub_outbox(const struct adfd *d, struct db *db, struct adf_error *err, bool retention,
			const char *param)
{
	const char *select = retention ? "SELECT id FROM outbox" WHERE_RETAINED_TOO_LONG
				       : "SELECT id FROM outbox" WHERE_FORGOTTEN;
	const char *update =
	    retention ? SCRUB_SET WHERE_RETAINED_TOO_LONG : SCRUB_SET WHERE_FORGOTTEN;
	json_t *rows = db_rows_json(db, db_query(db, err, select, "s", param), err);
	if (!rows)
		return -1;
	size_t n = json_array_size(rows);
	long long *ids = calloc(n ? n : 1, sizeof *ids);
	for (size_t i = 0; ids && i < n; i++)
		ids[i] = json_integer_value(json_object_get(json_array_get(rows, i), "id"));
	json_decref(rows);
	if (!ids)
		return adf_fail(err, ADF_E_INTERNAL, "out of memory");
	int changed = db_exec(db, err, update, "s", param);
	if (changed >= 0)
		mailer_erase_files(d, ids, n);
	free(ids);
	return changed;
}

int h_person_forget(struct req *r)
{
	char key[256], now[21];
	registration_email_key(arg_str(r, "email"), key, sizeof key);
	db_now(now);
	int regs =
	    db_exec(r->db, &r->err, ANONYMISE_REGISTRATIONS "email_key = ?2", "ss", now, key);
	int people = regs < 0 ? -1
			      : db_exec(r->db, &r->err,
					"UPDATE person SET civility = NULL, first_name = 'Anonyme',"
					" last_name = '', role = NULL, organisation = NULL,"
					" email = NULL, phone = NULL, name_key = 'anonyme ' || id,"
					" updated_at = ?1 WHERE lower(email) = ?2",
					"ss", now, key);
	/* and mail to them: not sent any more, its text and copies gone (a key
	 * of an older adfd ends with the address) */
	int mails = people < 0 ? -1 : scrub_outbox(r->adfd, r->db, &r->err, false, key);
	if (mails < 0)
		return -1;
	if (regs + people + mails == 0)
		return req_fail(r, ADF_E_NOT_FOUND, "no personal data is held for this address");
	/* the audit says what happened, never to whom */
	snprintf(r->target, sizeof r->target, "registrations:%d,persons:%d,mails:%d", regs, people,
		 mails);
	r->scrub = true;
	r->data =
	    json_pack("{s:i,s:i,s:i}", "registrations", regs, "persons", people, "mails", mails);
	return 0;
}

/* The first day whose Ateliers are still within the retention period. */
static void retention_cutoff(int months, char out[11])
{
	char today[11];
	int y, m, d;
	paris_today(today);
	date_parse(today, &y, &m, &d);
	int total = y * 12 + (m - 1) - months;
	y = total / 12;
	m = total % 12 + 1;
	if (d > days_in_month(y, m))
		d = days_in_month(y, m);
	snprintf(out, 11, "%04d-%02d-%02d", y, m, d);
}

int h_privacy_report(struct req *r)
{
	int months = r->adfd->cfg.retention_months;
	sqlite3_stmt *st =
	    db_query(r->db, &r->err,
		     "SELECT count(*) FILTER (WHERE g.anonymised_at IS NULL),"
		     " count(*) FILTER (WHERE g.anonymised_at IS NOT NULL),"
		     " min(a.date) FILTER (WHERE g.anonymised_at IS NULL),"
		     " min(g.registered_at) FILTER (WHERE g.anonymised_at IS NULL),"
		     " (SELECT count(*) FROM person WHERE email IS NOT NULL OR phone IS NOT NULL)"
		     " FROM registration g JOIN atelier a ON a.id = g.atelier_id",
		     "");
	if (!st || db_step(r->db, st, &r->err) != 1)
		return -1;
	r->data =
	    json_pack("{s:I,s:I,s:s?,s:s?,s:I,s:i}", "registrations_with_personal_data",
		      (json_int_t)sqlite3_column_int64(st, 0), "registrations_anonymised",
		      (json_int_t)sqlite3_column_int64(st, 1), "oldest_atelier_with_personal_data",
		      (const char *)sqlite3_column_text(st, 2), "oldest_registration",
		      (const char *)sqlite3_column_text(st, 3), "persons_with_contact_details",
		      (json_int_t)sqlite3_column_int64(st, 4), "retention_months", months);
	sqlite3_reset(st);
	/* the outbox holds addresses, names and texts too, until erased */
	st = db_query(r->db, &r->err,
		      "SELECT count(*), min(created_at) FROM outbox"
		      " WHERE recipient NOT LIKE 'anonyme-%@invalid'",
		      "");
	if (!st || db_step(r->db, st, &r->err) != 1)
		return -1;
	json_object_set_new(r->data, "mails_with_personal_data",
			    json_integer(sqlite3_column_int64(st, 0)));
	const char *oldest = (const char *)sqlite3_column_text(st, 1);
	json_object_set_new(r->data, "oldest_mail", oldest ? json_string(oldest) : json_null());
	sqlite3_reset(st);
	if (months > 0) {
		char cutoff[11];
		retention_cutoff(months, cutoff);
		json_object_set_new(r->data, "anonymised_before", json_string(cutoff));
	}
	return 0;
}

/* Anonymises the registrations of Ateliers older than the retention, in
 * one transaction, and says how many by number only. */
static void apply_retention(struct adfd *d)
{
	int months = d->cfg.retention_months;
	struct adf_error err;
	char cutoff[11], now[21];
	if (months <= 0)
		return;
	retention_cutoff(months, cutoff);
	db_now(now);
	if (db_begin(d->db, 1, &err) < 0) {
		log_error("retention: %s", err.message);
		return;
	}
	int n = db_exec(d->db, &err,
			ANONYMISE_REGISTRATIONS
			"atelier_id IN (SELECT id FROM atelier WHERE date < ?2)",
			"ss", now, cutoff);
	/* the mail of those Ateliers, and mail about none older than that */
	int mails = n < 0 ? -1 : scrub_outbox(d, d->db, &err, true, cutoff);
	if (mails < 0)
		n = -1;
	if (n > 0 || mails > 0) {
		char target[64];
		snprintf(target, sizeof target, "registrations:%d,mails:%d", n, mails);
		n = db_exec(d->db, &err,
			    "INSERT INTO audit (at, uid, command, target, outcome)"
			    " VALUES (?, ?, 'privacy.retention', ?, 'ok')",
			    "sIs", now, (long long)geteuid(), target) < 0
			? -1
			: n;
	}
	if (n < 0 || db_commit(d->db, &err) < 0) {
		db_rollback(d->db);
		log_error("retention: %s", err.message);
		return;
	}
	if (n > 0 || mails > 0) {
		db_checkpoint_truncate(d->db);
		log_info("retention: anonymised %d registration(s) and %d mail(s) of Ateliers "
			 "before %s",
			 n, mails, cutoff);
	}
}

/* The audit log keeps audit_retention_months: who did what is needed for
 * a while, not for ever (and a flood of refusals must not grow it without
 * end). */
static void apply_audit_retention(struct adfd *d)
{
	int months = d->cfg.audit_retention_months;
	struct adf_error err;
	char cutoff[11];
	if (months <= 0)
		return;
	retention_cutoff(months, cutoff);
	int n = db_exec(d->db, &err, "DELETE FROM audit WHERE at < ?", "s", cutoff);
	if (n < 0)
		log_error("audit retention: %s", err.message);
	else if (n > 0)
		log_info("audit retention: %d entr%s before %s deleted", n, n > 1 ? "ies" : "y",
			 cutoff);
}

static void on_retention_timer(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	apply_retention(arg);
	apply_audit_retention(arg);
}

int privacy_start(struct adfd *d)
{
	apply_retention(d);
	apply_audit_retention(d);
	d->retention_timer = event_new(d->base, -1, EV_PERSIST, on_retention_timer, d);
	if (!d->retention_timer)
		return -1;
	struct timeval day = {24 * 3600, 0};
	return event_add(d->retention_timer, &day);
}

void privacy_stop(struct adfd *d)
{
	if (d->retention_timer)
		event_free(d->retention_timer);
	d->retention_timer = NULL;
}
