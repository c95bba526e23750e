/* Ateliers: one workshop of the tour, hosted by one Département. */
#ifndef ADF_ATELIER_H
#define ADF_ATELIER_H

#include <jansson.h>

struct req;
struct db;
struct adf_error;

/* One Atelier with its edition and French date, or NULL (not_found). */
json_t *atelier_get(struct req *r, long long id);
/* Ateliers in date order, each filter NULL for any; NULL on error. */
json_t *atelier_list_json(struct req *r, json_t *cycle, json_t *status, json_t *departement);
/* Makes a draft again each Atelier an older adfd let be cancelled as a
 * draft; how many, or -1. Run at start. */
int atelier_repair(struct db *db, struct adf_error *err);
/* Creates a draft for tour planning, checking the same rules as add. */
int atelier_create(struct req *r, json_t *fields, const char *status, long long *id,
		   json_t **renumbering);

#endif
