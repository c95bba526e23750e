/* People of the programme: speakers and moderators across the tour. */
#ifndef ADF_PERSON_H
#define ADF_PERSON_H

#include <jansson.h>
#include <stddef.h>

struct req;

json_t *person_get(struct req *r, long long id);
json_t *person_schedule_json(struct req *r, long long id);
/* "M. Marc Ventre" from a person row. */
void person_display_name(json_t *person, char *buf, size_t n);

#endif
