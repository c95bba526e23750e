/* systemd glue: socket activation and sd_notify. Without libsystemd these
 * do nothing and adfd binds its own socket. */
#ifndef ADF_SYSTEMD_H
#define ADF_SYSTEMD_H

#include "adfd.h"

/* The listening socket systemd passed us, or -1. */
int systemd_listen_fd(void);
void systemd_notify(const char *state);
/* READY=1, then STATUS= lines and watchdog pings from the loop. */
void systemd_ready(struct adfd *d);
void systemd_stop(void);

#endif
