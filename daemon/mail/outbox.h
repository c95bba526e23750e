/* The outbox: every message adfd sends is first a row here, queued once
 * (a unique dedupe key), then pending -> sending -> sent, or failed. */
#ifndef ADF_OUTBOX_H
#define ADF_OUTBOX_H

#include <jansson.h>
#include <stdbool.h>

struct req;
struct adfd;

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
int outbox_queue(struct req *ctx, const struct outbox_msg *m, bool *queued);
/* The template variables for one recipient of mail about an Atelier. */
json_t *mail_vars(struct req *ctx, json_t *atelier, const char *name, const char *civility,
		  long long position, const char *cancel_url);
/* The public site's cancel link of a registration into out (size n);
 * false when there is no site or no such registration. */
bool mail_cancel_url(struct req *ctx, long long registration, char *out, size_t n);
/* At start: a row left "sending" by a crash goes back to "pending". */
int outbox_recover(struct adfd *d);

#endif
