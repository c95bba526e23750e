/* What the two listeners (the socket's, the site's) do alike. */
#ifndef ADF_LISTEN_H
#define ADF_LISTEN_H

struct evconnlistener;
struct event;

/* accept failed (out of file descriptors): the pending connection stays
 * readable, so accept would spin. The listener pauses for a second, until
 * retry (a timer that enables it again) fires. */
void listen_pause(struct evconnlistener *l, struct event *retry, const char *who);

#endif
