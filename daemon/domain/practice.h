/* Good practices ("bonnes pratiques") of the Départements. */
#ifndef ADF_PRACTICE_H
#define ADF_PRACTICE_H

#include <jansson.h>

struct work;

json_t *practice_get(struct work *w, long long id);
/* fields: departement, title, theme, summary, atelier, session. */
json_t *practice_add(struct work *w, json_t *fields);
/* Changes some of those fields (a session given alone brings its Atelier;
 * an Atelier given alone drops a session of another). */
json_t *practice_update(struct work *w, long long id, json_t *changes);
json_t *practice_delete(struct work *w, long long id);
/* Of one Département (NULL: all). */
json_t *practice_list(struct work *w, json_t *departement);
/* The best matches of what a person typed, each word a prefix; a
 * Département's name matches its practices and the texts that name it. */
json_t *practice_search(struct work *w, const char *typed, long long limit);

#endif
