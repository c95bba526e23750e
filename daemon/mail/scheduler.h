/* The mail planner: turns registration events, Atelier changes and
 * reminder moments into outbox rows, on libevent timers. */
#ifndef ADF_SCHEDULER_H
#define ADF_SCHEDULER_H

#include <jansson.h>

struct adfd;
struct work;

/* Plans at once, then at each reminder moment and after each change (it
 * subscribes to commits through main.c). */
int scheduler_start(struct adfd *d);
void scheduler_stop(struct adfd *d);
/* Something changed: plan again as soon as the loop is free. */
void scheduler_kick(struct adfd *d);
#endif
