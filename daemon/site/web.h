/* The public site: the tour, each Atelier's programme with a registration
 * form, one's own cancellation, calendar feeds. libevent's evhttp on
 * adfd's loop; off unless the settings give http.port. */
#ifndef ADF_WEB_H
#define ADF_WEB_H

#include "proto.h"

struct adfd;

/* Listens on http.address:http.port when the settings ask for a site. */
int web_start(struct adfd *d, struct adf_error *err);
/* Closes the listener and every connection. */
void web_stop(struct adfd *d);

#endif
