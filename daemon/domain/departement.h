/* The Départements of France, the tour's hosts. */
#ifndef ADF_DEPARTEMENT_H
#define ADF_DEPARTEMENT_H

#include <jansson.h>

struct work;

/* In INSEE order, of one region (NULL: all). */
json_t *departement_list(struct work *w, json_t *region);
/* One, with its Ateliers. */
json_t *departement_show(struct work *w, json_t *code);

#endif
