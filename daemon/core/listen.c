#include "config.h"

#include <event2/event.h>
#include <event2/listener.h>
#include <event2/util.h>
#include <string.h>

#include "listen.h"
#include "log.h"

void listen_pause(struct evconnlistener *l, struct event *retry, const char *who)
{
	int e = EVUTIL_SOCKET_ERROR();
	log_warning("%saccept: %s: pausing for 1 s", who, evutil_socket_error_to_string(e));
	evconnlistener_disable(l);
	struct timeval tv = {1, 0};
	event_add(retry, &tv);
}
