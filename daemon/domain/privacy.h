/* Personal data: erasing one address everywhere, the retention period,
 * and the report of what is held. */
#ifndef ADF_PRIVACY_H
#define ADF_PRIVACY_H

struct adfd;

/* Anonymises registrations past the retention now, then once a day. */
int privacy_start(struct adfd *d);
void privacy_stop(struct adfd *d);

#endif
