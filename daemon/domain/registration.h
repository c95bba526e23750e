/* Registrations to an Atelier: capacity, the FIFO waiting list, check-in. */
#ifndef ADF_REGISTRATION_H
#define ADF_REGISTRATION_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

struct req;

/* Confirms waitlisted registrations, first come first served, while seats
 * remain; each promotion is recorded for the notices. */
int registration_fill(struct req *r, long long atelier);
/* Seats taken (confirmed or attended), or -1. */
long long registration_seats_taken(struct req *r, long long atelier);
/* Fails unless the Atelier takes registrations (scheduled, not past). */
int registration_check_open(struct req *r, json_t *atelier);
/* The registration of this address to the Atelier that is not cancelled,
 * 0 if none, -1 on error. */
long long registration_active_id(struct req *r, long long atelier, const char *email);
/* Records what happened to a registration, for the notices. */
int registration_record_event(struct req *r, long long id, const char *kind);
/* Whether the Atelier is over: held, on a past day, or ended earlier
 * today (Paris time). */
bool registration_atelier_over(json_t *atelier);
/* Registers one person; *status receives "confirmed", "waitlisted" or
 * "attended" (a static string). */
int registration_add(struct req *r, json_t *atelier, const char *name, const char *email,
		     const char *org, const char *category, const char *source, bool checkin,
		     long long *id, const char **status);
/* One registration, with its waiting list position; NULL (not_found). */
json_t *registration_get(struct req *r, long long id);
/* The address as registrations compare it: trimmed, lower case. */
void registration_email_key(const char *email, char *out, size_t n);

#endif
