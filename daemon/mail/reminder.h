/* Reminders: the moments before an Atelier when its people get a mail, and
 * those after it (thanks, the replay). */
#ifndef ADF_REMINDER_H
#define ADF_REMINDER_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <time.h>

struct work;

/* Each returns the answer (a new reference), or NULL with w->err set. */
/* The mail rules of an Atelier: the configured ones and its own (one of
 * its own overrides a configured one of the same name), in the order of
 * their moments, as [{name, offset, after, audience, template, source
 * ("configured" or "own"), disabled, since?}]; since: a configured
 * rule's moments before it were never due (given back on upgrade). */
json_t *reminder_rules(struct work *w, long long atelier);
/* The same, each with the outcome of its moment if handled. */
json_t *reminder_list(struct work *w, long long atelier);
/* Sets one rule of the Atelier's own: offset before its start, or after
 * its end (after); audience NULL: registrants and speakers before, those
 * present and speakers after. */
json_t *reminder_set(struct work *w, long long atelier, const char *name, const char *offset,
		     bool after, const char *template, const char *audience);
/* The AUDIENCE_* bits of a rule's audience ("attendees,speakers"). */
int reminder_audience(json_t *rule);
/* When an Atelier ends (its end time, else its start and default_duration),
 * in seconds since the epoch. */
time_t reminder_atelier_ends(struct work *w, json_t *atelier, time_t starts);
/* Switches one rule off for this Atelier, or on again (on). */
json_t *reminder_switch(struct work *w, long long atelier, const char *name, bool on);
/* Back to the configured rules: its own are gone, none switched off. */
json_t *reminder_clear(struct work *w, long long atelier);
/* The reminders the next days will bring, rendered, to whom. */
json_t *reminder_upcoming(struct work *w, long long days);
/* How far ahead of its Atelier a reminder is, as its mail says it ("dans 7
 * jours", "demain", "dans 3 heures", "dans 15 minutes"). */
void reminder_delay_fr(long long offset, char *out, size_t n);
/* What a confirmation may promise ("Vous recevrez un rappel 7 jours avant
 * la rencontre."), from the first reminder to registrants still to come,
 * or "" when none will come (or status is not "confirmed"): never more
 * than what is planned. -1 with w->err on error. */
int reminder_promise_fr(struct work *w, json_t *atelier, const char *status, char *out, size_t n);
/* A template rendered for an Atelier and an example person. */
json_t *reminder_preview(struct work *w, const char *template, long long atelier);

#endif
