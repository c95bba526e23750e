/* Cycles: a season of the tour, a span of months. */
#ifndef ADF_CYCLE_H
#define ADF_CYCLE_H

#include <jansson.h>

struct work;

json_t *cycle_get(struct work *w, long long id);
json_t *cycle_list(struct work *w);
/* The cycle with its Ateliers. */
json_t *cycle_show(struct work *w, long long id);
json_t *cycle_add(struct work *w, const char *name, const char *from, const char *to);
/* A NULL name or month keeps the cycle's own. */
json_t *cycle_update(struct work *w, long long id, const char *name, const char *from,
		     const char *to);
json_t *cycle_delete(struct work *w, long long id);

#endif
