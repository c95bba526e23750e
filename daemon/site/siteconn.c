/* The site's connections (see siteconn.h). evhttp makes each connection's
 * bufferevent through our callback; we keep a reference to it, so that it
 * stays valid after evhttp lets it go, which a sweep each second notices
 * (its event callback is gone) and then lets go too. A connection past its
 * deadline, or over the cap, is shut down: evhttp sees the end of the
 * stream and frees it. */
#include "config.h"

#include <event2/bufferevent.h>
#include <event2/event.h>
#include <event2/http.h>
#include <stdbool.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <time.h>

#include "log.h"
#include "siteconn.h"

struct conn {
	struct bufferevent *bev; /* one reference is ours */
	time_t since;		 /* accepted, or its last request completed */
	bool shut;
};

struct siteconns {
	struct event *sweep;
	struct conn *conns;
	size_t n, size;
	int max, deadline;
};

static bool released(struct bufferevent *bev)
{
	bufferevent_event_cb event = NULL;
	bufferevent_getcb(bev, NULL, NULL, &event, NULL);
	return event == NULL;
}

static void shut(struct conn *c)
{
	evutil_socket_t fd = bufferevent_getfd(c->bev);
	if (fd >= 0)
		shutdown(fd, SHUT_RDWR);
	c->shut = true;
}

static void on_sweep(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	struct siteconns *s = arg;
	time_t now = time(NULL);
	size_t kept = 0;
	int closed = 0;
	for (size_t i = 0; i < s->n; i++) {
		struct conn *c = &s->conns[i];
		if (released(c->bev)) {
			bufferevent_decref(c->bev);
			continue;
		}
		if (!c->shut && now - c->since >= s->deadline) {
			shut(c);
			closed++;
		}
		s->conns[kept++] = *c;
	}
	s->n = kept;
	if (closed)
		log_info("http: closed %d connection(s) without a complete request within %d s",
			 closed, s->deadline);
}

int siteconns_live(const struct siteconns *s)
{
	int live = 0;
	for (size_t i = 0; i < s->n; i++)
		live += !s->conns[i].shut && !released(s->conns[i].bev);
	return live;
}

static struct bufferevent *new_connection(struct event_base *base, void *arg)
{
	struct siteconns *s = arg;
	struct bufferevent *bev = bufferevent_socket_new(base, -1, BEV_OPT_CLOSE_ON_FREE);
	if (!bev)
		return NULL;
	if (s->n == s->size) {
		size_t size = s->size ? s->size * 2 : 64;
		struct conn *grown = realloc(s->conns, size * sizeof *grown);
		if (!grown)
			return bev; /* untracked: evhttp's own timeout still applies */
		s->conns = grown;
		s->size = size;
	}
	/* counted before it joins: evhttp sets its callbacks only after this */
	int live = siteconns_live(s);
	bufferevent_incref(bev);
	struct conn *c = &s->conns[s->n++];
	*c = (struct conn){.bev = bev, .since = time(NULL)};
	/* over the cap: its deadline is now (the socket has no fd yet, so the
	 * next sweep shuts it) */
	if (live + 1 > s->max) {
		c->since = 0;
		log_warning("http: %d connections: closing the newest", s->max);
	}
	return bev;
}

struct siteconns *siteconns_start(struct event_base *base, struct evhttp *http, int max,
				  int deadline)
{
	struct siteconns *s = calloc(1, sizeof *s);
	if (!s)
		return NULL;
	s->max = max;
	s->deadline = deadline;
	s->sweep = event_new(base, -1, EV_PERSIST, on_sweep, s);
	struct timeval second = {1, 0};
	if (!s->sweep || event_add(s->sweep, &second) < 0) {
		if (s->sweep)
			event_free(s->sweep);
		free(s);
		return NULL;
	}
	evhttp_set_bevcb(http, new_connection, s);
	return s;
}

void siteconns_request_done(struct siteconns *s, struct evhttp_request *req)
{
	struct evhttp_connection *evcon = evhttp_request_get_connection(req);
	struct bufferevent *bev = evcon ? evhttp_connection_get_bufferevent(evcon) : NULL;
	for (size_t i = 0; bev && i < s->n; i++)
		if (s->conns[i].bev == bev && !s->conns[i].shut)
			s->conns[i].since = time(NULL);
}

void siteconns_stop(struct siteconns *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->n; i++)
		bufferevent_decref(s->conns[i].bev);
	free(s->conns);
	event_free(s->sweep);
	free(s);
}
