/* Registrations to an Atelier: capacity, the FIFO waiting list, check-in. */
#ifndef ADF_REGISTRATION_H
#define ADF_REGISTRATION_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

struct work;

/* Why a registration is refused or cannot be cancelled: w->reason after a
 * refusal, turned into words by each face (the socket's message, the
 * site's French page). */
enum registration_reason {
	REGISTRATION_OK = 0,
	REGISTRATION_NOT_OPEN,		/* a draft, not announced */
	REGISTRATION_ATELIER_CANCELLED, /* the Atelier is cancelled */
	REGISTRATION_ATELIER_OVER,	/* it took place */
	REGISTRATION_ALREADY_REGISTERED,
	REGISTRATION_ALREADY_CANCELLED,
	REGISTRATION_ATTENDED,	    /* present: it stays */
	REGISTRATION_WAITLIST_FULL, /* no seat, and the waiting list is as long as allowed */
};

/* What a person or an organiser gives to register. */
/* Digits of the check-in code a badge carries (schema/017). */
#define CHECKIN_CODE_LEN 12

struct registration_form {
	const char *civility; /* "M.", "Mme" or NULL */
	const char *name, *email, *org, *category;
	/* the first name and surname apart, when the form asks them so; else
	 * name is split by name_split's rule (common/text.h) */
	const char *first, *last;
	const char *source; /* adfctl, web, import */
	bool checkin;	    /* a walk-in, present now */
	bool force;	    /* a walk-in beyond capacity, a check-in before the day */
	bool news;	    /* consents to hear of the next Ateliers */
	bool again_told;    /* an address registered already is no error: its
			     * owner is told by mail, the answer says "again" */
};

/* Each returns the registration (a new reference) with its waiting list
 * position, or NULL with w->err (and w->reason) set. */
json_t *registration_get(struct work *w, long long id);
json_t *registration_register(struct work *w, long long atelier, const struct registration_form *f);
/* with_secrets: the token and the cancel link (an admin's). */
json_t *registration_show(struct work *w, long long id, bool with_secrets);
/* status, category: NULL for any; after: the last id of the page before. */
json_t *registration_list(struct work *w, long long atelier, long long after, json_t *status,
			  json_t *category, long long limit);
/* by_owner: the person (not after the day); no_news: their consent goes too. */
json_t *registration_cancel(struct work *w, long long id, const char *reason, bool by_owner,
			    bool no_news);
json_t *registration_checkin(struct work *w, long long atelier, const char *email, bool force);
/* Splits the names of registrations made before names were kept apart;
 * returns how many, or -1. */
int registration_names_backfill(struct work *w);
/* The person no longer hears of the next Ateliers. */
int registration_withdraw_news(struct work *w, long long id);

/* Why the Atelier takes no registration; REGISTRATION_OK when it does. */
enum registration_reason registration_closed(json_t *atelier);
/* Why a registration cannot be cancelled; REGISTRATION_OK when it can. */
enum registration_reason registration_uncancellable(json_t *reg, json_t *atelier, bool by_owner);
/* The link of the site that cancels it; false without a site. */
bool registration_cancel_url(struct work *w, long long id, char *out, size_t n);
/* The link to the satisfaction survey, for someone who came, when the site
 * is on; false otherwise. */
bool registration_survey_url(struct work *w, long long id, char *out, size_t n);

/* Confirms waitlisted registrations, first come first served, while seats
 * remain; each promotion is recorded for the notices, and appended to
 * promoted ({id, name, email}) unless it is NULL. */
int registration_fill(struct work *w, long long atelier, json_t *promoted);
/* Seats taken (confirmed or attended), or -1. */
long long registration_seats_taken(struct work *w, long long atelier);
/* Fails unless the Atelier takes registrations (scheduled, not past). */
int registration_check_open(struct work *w, json_t *atelier);
/* The registration of this address to the Atelier that is not cancelled,
 * 0 if none, -1 on error. */
long long registration_active_id(struct work *w, long long atelier, const char *email);
/* Records what happened to a registration, for the notices. */
int registration_record_event(struct work *w, long long id, const char *kind);
/* Whether the Atelier is over: held, on a past day, or ended earlier
 * today (Paris time). */
bool registration_atelier_over(json_t *atelier);
/* Registers one person in an Atelier open for it; *status receives
 * "confirmed", "waitlisted" or "attended" (a static string). */
int registration_add(struct work *w, json_t *atelier, const struct registration_form *f,
		     long long *id, const char **status);
/* Check-in is open for the Atelier (its day, or checkin_days_before
 * ahead; force: any day); -1 with the error otherwise. */
int registration_checkin_open(struct work *w, json_t *atelier, bool force);
/* Marks registration id present now. */
int registration_attend(struct work *w, long long id);
/* The address as registrations compare it: trimmed, lower case. */
void registration_email_key(const char *email, char *out, size_t n);

#endif
