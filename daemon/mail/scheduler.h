/* The mail planner: turns registration events, Atelier changes and
 * reminder moments into outbox rows, on libevent timers. */
#ifndef ADF_SCHEDULER_H
#define ADF_SCHEDULER_H

#include <jansson.h>

struct adfd;
struct work;

/* People a mail about the Atelier goes to, one per address:
 * {email key: {email, name, civility, registration, position, dedupe}},
 * dedupe being "r<registration id>" or "p<person id>": an outbox key never
 * holds an address. With unqueued, only registrants for whom no outbox
 * row has the dedupe key unqueued + their dedupe, at most limit of them
 * (-1: all): a burst is planned in chunks without reading again those
 * already planned. */
json_t *scheduler_recipients(struct work *w, long long atelier, const char *registered_before,
			     bool registrants, bool waitlisted, bool speakers, const char *unqueued,
			     long long limit);

/* Plans at once, then at each reminder moment and after each change (it
 * subscribes to commits through main.c). */
int scheduler_start(struct adfd *d);
void scheduler_stop(struct adfd *d);
/* Something changed: plan again as soon as the loop is free. */
void scheduler_kick(struct adfd *d);
#endif
