/* Ateliers: one workshop of the tour, hosted by one Département. */
#ifndef ADF_ATELIER_H
#define ADF_ATELIER_H

#include <jansson.h>
#include <stdbool.h>

struct work;
struct db;
struct adf_error;

/* Each returns the Atelier (a new reference) with its edition and French
 * date, or NULL with w->err set (not_found, conflict...). A change carries
 * "renumbered" when it moved the editions of announced Ateliers. */
json_t *atelier_get(struct work *w, long long id);
/* Ateliers in date order, each filter NULL for any; NULL on error. */
json_t *atelier_list_json(struct work *w, json_t *cycle, json_t *status, json_t *departement);
/* fields: the organiser's fields by the table's names. */
json_t *atelier_add(struct work *w, json_t *fields, bool draft, bool force);
/* changes: the fields to change (absent or null: kept). */
json_t *atelier_update(struct work *w, long long id, json_t *changes, bool force);
json_t *atelier_schedule(struct work *w, long long id, bool force);
/* Cancelled -> scheduled, and people are told; or held -> scheduled, to
 * undo a mistaken "held" while the day has not passed. */
json_t *atelier_reopen(struct work *w, long long id, bool force);
/* A draft was never announced: nobody is to be told, it is deleted. */
json_t *atelier_cancel(struct work *w, long long id, const char *reason);
/* Held is said on the day or after: said of a day to come, it would stop
 * the reminders and close the registrations. */
json_t *atelier_held(struct work *w, long long id, bool force);
json_t *atelier_delete(struct work *w, long long id);
/* Makes a draft again each Atelier an older adfd let be cancelled as a
 * draft; how many, or -1. Run at start. */
int atelier_repair(struct db *db, struct adf_error *err);
/* Creates an Atelier for tour planning, checking the same rules as add. */
int atelier_create(struct work *w, json_t *fields, const char *status, bool force, long long *id,
		   json_t **renumbering);

/* Sets the Atelier's replay and slides links (NULL: unchanged, "-":
 * none), once it is scheduled or held. */
json_t *atelier_links(struct work *w, long long id, const char *replay, const char *slides);

#endif
