/* To whom a mail about an Atelier goes. */
#ifndef ADF_RECIPIENTS_H
#define ADF_RECIPIENTS_H

#include <jansson.h>
#include <stdbool.h>

struct work;

/* People a mail about the Atelier goes to (audience: AUDIENCE_* bits of
 * settings.h), one per address:
 * {email key: {email, name, civility, registration, position, dedupe}},
 * dedupe being "r<registration id>" or "p<person id>": an outbox key never
 * holds an address. With unqueued, only registrants for whom no outbox
 * row has the dedupe key unqueued + their dedupe, at most limit of them
 * (-1: all): a burst is planned in chunks without reading again those
 * already planned. */
json_t *recipients_of(struct work *w, long long atelier, const char *registered_before,
		      int audience, const char *unqueued, long long limit);

#endif
