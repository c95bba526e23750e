/* Personal data: erasing one address everywhere, the retention period,
 * and the report of what is held. */
#ifndef ADF_PRIVACY_H
#define ADF_PRIVACY_H

#include <jansson.h>

struct adfd;
struct work;

/* Erases one address everywhere: registrations, people, mail. */
json_t *privacy_forget(struct work *w, const char *email);
/* What personal data is held, and since when. */
json_t *privacy_report(struct work *w);

/* Anonymises registrations past the retention now, then once a day. */
int privacy_start(struct adfd *d);
void privacy_stop(struct adfd *d);

#endif
