/* People of the programme: speakers and moderators across the tour. */
#ifndef ADF_PERSON_H
#define ADF_PERSON_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

struct work;

/* search: part of a name, accents and case folded (NULL: all). */
json_t *person_list(struct work *w, const char *search);
/* changes: by the table's names (civility, first, last, role, org, email,
 * phone); a namesake only with force. */
json_t *person_add(struct work *w, json_t *changes, bool force);
json_t *person_update(struct work *w, long long id, json_t *changes, bool force);
json_t *person_get(struct work *w, long long id);
/* The person with the sessions where they speak or moderate. */
json_t *person_show(struct work *w, long long id);
json_t *person_schedule(struct work *w, long long id);
json_t *person_schedule_json(struct work *w, long long id);
/* A row of people completed with "name" ("M. Marc Ventre"); a mapper of
 * db_rows_map. */
json_t *person_named(json_t *row, void *unused);
/* "M. Marc Ventre" from a person row. */
void person_display_name(json_t *person, char *buf, size_t n);

#endif
