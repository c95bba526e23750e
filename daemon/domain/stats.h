/* The bilan: seats, waiting lists and attendance, by Atelier and cycle. */
#ifndef ADF_STATS_H
#define ADF_STATS_H

#include <jansson.h>

struct work;

json_t *stats_atelier(struct work *w, long long id);
json_t *stats_cycle(struct work *w, long long id);

#endif
