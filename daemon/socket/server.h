/* The control socket: listener, clients, limits. */
#ifndef ADF_SERVER_H
#define ADF_SERVER_H

#include <sys/types.h>

#include "adfd.h"

struct server;

/* Binds the socket (or adopts fd >= 0 from systemd) and starts accepting. */
int server_start(struct adfd *d, int inherited_fd, struct adf_error *err);
/* Stops accepting; clients get their pending answers, then the loop ends. */
void server_shutdown(struct server *s);
void server_free(struct server *s);
int server_client_count(const struct server *s);
/* The live streams (watch) a uid holds now. */
int server_watchers_of_uid(const struct server *s, uid_t uid);
/* Something was committed: the live streams (watchers) speak again, soon. */
void server_changed(struct server *s);

#endif
