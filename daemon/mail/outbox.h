/* The outbox: every message adfd sends is first a row here, queued once
 * (a unique dedupe key), then pending -> sending -> sent, or failed. */
#ifndef ADF_OUTBOX_H
#define ADF_OUTBOX_H

#include <jansson.h>
#include <stdbool.h>

struct work;
struct adfd;
struct db;
struct adf_error;

struct outbox_msg {
	const char *dedupe_key;
	const char *kind;  /* "reminder", "confirmed", "moved"... */
	long long atelier; /* 0: none */
	const char *to, *to_name;
	const char *template;
	json_t *vars;		/* the template's variables */
	const char *ics;	/* an invitation, or NULL */
	const char *ics_method; /* REQUEST or CANCEL */
	const char *state;	/* "pending", or "skipped" with a note */
	const char *note;
	const char *unsubscribe; /* the cancel link, or NULL */
};

/* Queues a message unless its dedupe key was ever used (*queued false). */
int outbox_queue(struct work *w, const struct outbox_msg *m, bool *queued);
/* The template variables for one recipient of mail about an Atelier. */
/* person: {name, civility, first_name?, last_name?, role?} */
json_t *mail_vars(struct work *w, json_t *atelier, json_t *person, long long position,
		  const char *cancel_url);
/* The queue, newest first; state, atelier: NULL for any. */
json_t *outbox_list(struct work *w, json_t *state, json_t *atelier, long long limit);
/* A failed message pending again (to: another address, or NULL). */
json_t *outbox_retry(struct work *w, long long id, const char *to);
json_t *outbox_retry_failed(struct work *w);
/* Queues the "test" template to an address. */
json_t *outbox_test(struct work *w, const char *to);
/* Which rows outbox_scrub erases. */
enum outbox_scrub {
	OUTBOX_OF_ADDRESS,     /* mail to one address (param, as registrations compare it) */
	OUTBOX_RETAINED_BEFORE /* mail of the Ateliers before a day (param), and mail about
				* none created before it */
};
/* Erases address, name, text, invitation, the server's error (which may
 * quote the address) and an address-bearing key in those rows; mail not
 * sent yet is not sent any more. Returns how many rows, or -1; their ids
 * in *scrubbed (*count of them, to free), whose delivered copies go too. */
int outbox_scrub(struct db *db, struct adf_error *err, enum outbox_scrub which, const char *param,
		 long long **scrubbed, size_t *count);
/* {mails_with_personal_data, oldest_mail}. */
json_t *outbox_personal_data(struct db *db, struct adf_error *err);
/* When the earliest pending message is due (seconds since the epoch), 0
 * if none. */
long long outbox_next_attempt(struct db *db, struct adf_error *err);
/* The mailer's side: claims due rows (pending -> sending, one more
 * attempt) into ids, at most max; how many, or -1. */
int outbox_claim(struct db *db, struct adf_error *err, long long *ids, int max);
/* Claimed, never started: as if never claimed. */
int outbox_unclaim(struct db *db, struct adf_error *err, long long id);
/* What a transport sends: {recipient, recipient_name, subject, body, ics,
 * ics_method, message_id, created_at, unsubscribe}. */
json_t *outbox_message(struct db *db, struct adf_error *err, long long id);
int outbox_sent(struct db *db, struct adf_error *err, long long id);
long long outbox_attempts(struct db *db, struct adf_error *err, long long id);
/* Pending again at next_attempt, or failed for good. */
int outbox_failed(struct db *db, struct adf_error *err, long long id, bool for_good,
		  const char *next_attempt, const char *error);
/* Queued (pending or sending) and failed, for the service's status. */
int outbox_counts(struct db *db, struct adf_error *err, long long *queued, long long *failed);
/* {pending, failed, sent}: the mail about one Atelier. */
json_t *outbox_counts_atelier(struct db *db, struct adf_error *err, long long atelier);
/* The planner's side: whether a key was ever queued (1, 0, or -1), and how
 * many keys from `from` up to `before` were. */
int outbox_queued(struct db *db, struct adf_error *err, const char *dedupe_key);
long long outbox_count_keys(struct db *db, struct adf_error *err, const char *from,
			    const char *before);
/* At start: a row left "sending" by a crash goes back to "pending". */
int outbox_recover(struct adfd *d);

#endif
