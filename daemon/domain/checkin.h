/* The door of an Atelier on its day. */
#ifndef ADF_CHECKIN_H
#define ADF_CHECKIN_H

#include <jansson.h>
#include <stdbool.h>

struct work;

/* What one line read at the door means, and the check-in it makes:
 * {outcome, input, registration?, candidates?, atelier?}; outcome is
 * checked_in, already, waitlisted, cancelled, unknown, ambiguous or
 * other_atelier. text is a badge's code (the digits, or as a QWERTY scanner
 * types them on an AZERTY keyboard), an e-mail or words of a name. force:
 * someone on the waiting list comes in beyond capacity, or check-in before
 * the day. NULL with w->err when check-in is closed. */
json_t *checkin_scan(struct work *w, long long atelier, const char *text, bool force);

/* The last n people checked in, the latest first. */
json_t *checkin_recent(struct work *w, long long atelier, long long n);
/* The Atelier whose door opens now: today's, else the next one; -1 with
 * w->err when there is none. */
long long checkin_atelier_now(struct work *w);

#endif
