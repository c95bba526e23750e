/* Good practices ("bonnes pratiques") of the Départements. */
#ifndef ADF_PRACTICE_H
#define ADF_PRACTICE_H

#include <jansson.h>

struct work;

json_t *practice_get(struct work *w, long long id);
/* fields: departement, title, theme, summary, atelier, session. */
json_t *practice_add(struct work *w, json_t *fields);
/* Of one Département (NULL: all). */
json_t *practice_list(struct work *w, json_t *departement);
/* The best matches of what a person typed, each word a prefix. */
json_t *practice_search(struct work *w, const char *typed, long long limit);

#endif
