/* The site's information pages (info.c). */
#ifndef ADF_INFO_H
#define ADF_INFO_H

#include "settings.h"

struct evhttp_request;

/* /donnees-personnelles: who keeps what, why, how long, the rights. */
void info_privacy(struct evhttp_request *req, const struct settings *cfg);
/* /accessibilite: the accessibility statement (RGAA 4.1). */
void info_accessibility(struct evhttp_request *req, const struct settings *cfg);

#endif
