/* The tour: one Atelier a month, on a day a rule names. */
#ifndef ADF_TOUR_H
#define ADF_TOUR_H

#include <jansson.h>
#include <stdbool.h>

struct work;

/* The days a monthly rule ("last wednesday") gives in the cycle's months
 * without an Atelier, moved off public holidays; with apply, created as
 * drafts (a past day only with force). */
json_t *tour_plan(struct work *w, long long cycle, const char *rule, const char *time, bool apply,
		  bool force);

#endif
