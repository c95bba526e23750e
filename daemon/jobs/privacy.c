#include "config.h"

#include <event2/event.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "audit.h"
#include "date.h"
#include "db.h"
#include "log.h"
#include "mailer.h"
#include "outbox.h"
#include "paris.h"
#include "privacy.h"
#include "registration.h"
#include "work.h"

/* What stays of a forgotten registration: its status and category, so the
 * numbers of the bilan do not change. Its secrets go too: the token (a new
 * random one, of a shape no link takes) and the badge's check-in code. */
#define ANONYMISE_REGISTRATIONS                                                                    \
	"UPDATE registration SET name = 'Anonyme', first_name = NULL, last_name = 'Anonyme',"      \
	" email = 'anonyme-' || id || '@invalid',"                                                 \
	" email_key = 'anonyme-' || id || '@invalid', organisation = NULL, civility = NULL,"       \
	" token = 'anonyme-' || id || '-' || lower(hex(randomblob(16))), checkin_code = NULL,"     \
	" news_consent_at = NULL, cancel_reason = NULL, anonymised_at = ?1"                        \
	" WHERE anonymised_at IS NULL AND "

/* The mail of those rows, and the copies the maildir transport delivered. */
static int scrub_mail(struct adfd *d, struct adf_error *err, enum outbox_scrub which,
		      const char *param)
{
	long long *ids;
	size_t count;
	int n = outbox_scrub(d->db, err, which, param, &ids, &count);
	if (n >= 0)
		mailer_erase_files(d, ids, count);
	free(ids);
	return n;
}

json_t *privacy_forget(struct work *w, const char *email)
{
	char key[256], now[21];
	registration_email_key(email, key, sizeof key);
	db_now(now);
	int regs =
	    db_exec(w->db, &w->err, ANONYMISE_REGISTRATIONS "email_key = ?2", "ss", now, key);
	int people = regs < 0 ? -1
			      : db_exec(w->db, &w->err,
					"UPDATE person SET civility = NULL, first_name = 'Anonyme',"
					" last_name = '', role = NULL, organisation = NULL,"
					" email = NULL, phone = NULL, name_key = 'anonyme ' || id,"
					" updated_at = ?1 WHERE lower(email) = ?2",
					"ss", now, key);
	/* and mail to them: not sent any more, its text and copies gone (a key
	 * of an older adfd ends with the address) */
	int mails = people < 0 ? -1 : scrub_mail(w->adfd, &w->err, OUTBOX_OF_ADDRESS, key);
	if (mails < 0)
		return NULL;
	if (regs + people + mails == 0) {
		work_fail(w, ADF_E_NOT_FOUND, "no personal data is held for this address");
		return NULL;
	}
	/* the audit says what happened, never to whom */
	snprintf(w->target, sizeof w->target, "registrations:%d,persons:%d,mails:%d", regs, people,
		 mails);
	w->events |= WORK_SCRUBBED;
	return json_pack("{s:i,s:i,s:i}", "registrations", regs, "persons", people, "mails", mails);
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

json_t *privacy_report(struct work *w)
{
	int months = w->adfd->cfg.retention_months;
	sqlite3_stmt *st =
	    db_query(w->db, &w->err,
		     "SELECT count(*) FILTER (WHERE g.anonymised_at IS NULL),"
		     " count(*) FILTER (WHERE g.anonymised_at IS NOT NULL),"
		     " min(a.date) FILTER (WHERE g.anonymised_at IS NULL),"
		     " min(g.registered_at) FILTER (WHERE g.anonymised_at IS NULL),"
		     " (SELECT count(*) FROM person WHERE email IS NOT NULL OR phone IS NOT NULL)"
		     " FROM registration g JOIN atelier a ON a.id = g.atelier_id",
		     "");
	if (!st || db_step(w->db, st, &w->err) != 1)
		return NULL;
	json_t *report =
	    json_pack("{s:I,s:I,s:s?,s:s?,s:I,s:i}", "registrations_with_personal_data",
		      (json_int_t)sqlite3_column_int64(st, 0), "registrations_anonymised",
		      (json_int_t)sqlite3_column_int64(st, 1), "oldest_atelier_with_personal_data",
		      (const char *)sqlite3_column_text(st, 2), "oldest_registration",
		      (const char *)sqlite3_column_text(st, 3), "persons_with_contact_details",
		      (json_int_t)sqlite3_column_int64(st, 4), "retention_months", months);
	sqlite3_reset(st);
	/* the outbox holds addresses, names and texts too, until erased */
	json_t *mails = outbox_personal_data(w->db, &w->err);
	if (!mails) {
		json_decref(report);
		return NULL;
	}
	json_object_update(report, mails);
	json_decref(mails);
	if (months > 0) {
		char cutoff[11];
		retention_cutoff(months, cutoff);
		json_object_set_new(report, "anonymised_before", json_string(cutoff));
	}
	return report;
}

/* Anonymises the registrations of Ateliers older than the retention, in
 * one transaction, and says how many by number only. */
static void apply_retention(struct adfd *d)
{
	int months = d->cfg.retention_months;
	char cutoff[11], now[21];
	if (months <= 0)
		return;
	retention_cutoff(months, cutoff);
	db_now(now);
	struct work w;
	work_init(&w, d);
	if (work_begin(&w) < 0) {
		log_error("retention: %s", w.err.message);
		return;
	}
	int n = db_exec(d->db, &w.err,
			ANONYMISE_REGISTRATIONS
			"atelier_id IN (SELECT id FROM atelier WHERE date < ?2)",
			"ss", now, cutoff);
	/* the mail of those Ateliers, and mail about none older than that */
	int mails = n < 0 ? -1 : scrub_mail(d, &w.err, OUTBOX_RETAINED_BEFORE, cutoff);
	bool erased = n > 0 || mails > 0;
	if (erased) {
		snprintf(w.target, sizeof w.target, "registrations:%d,mails:%d", n, mails);
		w.events |= WORK_SCRUBBED;
	}
	/* audited when it erased something */
	if (work_end(&w, n < 0 || mails < 0 ? -1 : 0, (long long)geteuid(),
		     erased ? "privacy.retention" : NULL) < 0) {
		log_error("retention: %s", w.err.message);
		return;
	}
	if (erased) {
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
	int n = audit_delete_before(d->db, &err, cutoff);
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
