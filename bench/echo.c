/* Baseline for the control round trip: a minimal libevent server on an
 * AF_UNIX socket answering each line with a short line. Usage: echo PATH */
#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>
#include <event2/listener.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

static void on_read(struct bufferevent *bev, void *arg)
{
	(void)arg;
	struct evbuffer *in = bufferevent_get_input(bev);
	char *line;
	size_t n;
	while ((line = evbuffer_readln(in, &n, EVBUFFER_EOL_LF))) {
		static const char answer[] = "{\"id\":1,\"ok\":true,\"data\":{}}\n";
		bufferevent_write(bev, answer, sizeof answer - 1);
		free(line);
	}
}

static void on_event(struct bufferevent *bev, short what, void *arg)
{
	(void)what;
	(void)arg;
	bufferevent_free(bev);
}

static void on_accept(struct evconnlistener *l, evutil_socket_t fd, struct sockaddr *sa, int len,
		      void *arg)
{
	(void)l;
	(void)sa;
	(void)len;
	struct bufferevent *bev = bufferevent_socket_new(arg, fd, BEV_OPT_CLOSE_ON_FREE);
	bufferevent_setcb(bev, on_read, NULL, on_event, NULL);
	bufferevent_enable(bev, EV_READ | EV_WRITE);
}

int main(int argc, char **argv)
{
	if (argc != 2)
		return 2;
	struct event_base *base = event_base_new();
	struct sockaddr_un sun = {.sun_family = AF_UNIX};
	snprintf(sun.sun_path, sizeof sun.sun_path, "%s", argv[1]);
	unlink(argv[1]);
	struct evconnlistener *l = evconnlistener_new_bind(
	    base, on_accept, base, LEV_OPT_CLOSE_ON_FREE, 128, (struct sockaddr *)&sun, sizeof sun);
	if (!l)
		return 1;
	event_base_dispatch(base);
	return 0;
}
