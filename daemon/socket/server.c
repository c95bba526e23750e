#include "config.h"

#include <errno.h>
#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>
#include <event2/listener.h>
#include <grp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/queue.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "db.h"
#include "dispatch.h"
#include "frame.h"
#include "listen.h"
#include "log.h"
#include "server.h"

/* A streamed answer produces its next chunk once the output is below this. */
#define STREAM_LOW_WATER (64 * 1024)
#define ADMIN_SLOTS 8	   /* connections only admins may take, at most max_clients / 8 */
#define STRANGER_TIMEOUT 2 /* seconds a peer with no role may take for its one line */
/* A commit group is closed at the end of the loop's turn, or sooner when
 * it holds this many answers, so that a flood cannot keep it open. */
#define GROUP_MAX_ANSWERS 1024
/* Changes that come together wake the watchers once: a burst of check-ins
 * is one new view, not one per check-in. */
#define WATCH_DELAY_USEC 100000

struct client {
	TAILQ_ENTRY(client) entry;
	struct server *server;
	struct bufferevent *bev;
	struct event *deadline; /* a full request must arrive before it fires */
	struct frame in;
	struct peer peer;
	struct stream *stream; /* an answer still coming: it goes before any other */
	json_t *stream_id;     /* the request id its chunks carry */
	bool reading_paused;   /* too much output queued: wait for the peer to read */
	bool closing;	       /* close once the queued output is written */
	/* Answers given while a commit group was open: they go out once it is
	 * on disk, or become errors if it cannot be. */
	struct evbuffer *held;
	json_t *held_ids;
	TAILQ_ENTRY(client) waiting_entry;
};

struct server {
	struct adfd *adfd;
	struct evconnlistener *listener;
	struct event *accept_retry;
	char *path; /* the socket file we created and will remove; NULL if inherited */
	TAILQ_HEAD(, client) clients;
	TAILQ_HEAD(, client) waiting; /* clients with held answers */
	struct event *commit;	      /* the group's commit, after the turn's requests */
	struct event *watch_wake;     /* the live streams speak again */
	size_t held_answers;
	int count;
	bool shutting_down;
};

static void client_process(struct client *c);

static void client_free(struct client *c)
{
	struct server *s = c->server;
	TAILQ_REMOVE(&s->clients, c, entry);
	if (c->held_ids) {
		TAILQ_REMOVE(&s->waiting, c, waiting_entry);
		s->held_answers -= json_array_size(c->held_ids);
		json_decref(c->held_ids);
	}
	if (c->held)
		evbuffer_free(c->held);
	s->count--;
	log_debug("client uid %u closed (%d left)", (unsigned)c->peer.uid, s->count);
	if (c->stream)
		c->stream->free(c->stream);
	json_decref(c->stream_id);
	bufferevent_free(c->bev);
	event_free(c->deadline);
	frame_free(&c->in);
	free(c);
	if (s->shutting_down && s->count == 0)
		event_base_loopexit(s->adfd->base, NULL);
}

static size_t output_queued(struct client *c)
{
	return evbuffer_get_length(bufferevent_get_output(c->bev)) +
	       (c->held ? evbuffer_get_length(c->held) : 0);
}

static void client_close_after_output(struct client *c)
{
	c->closing = true;
	bufferevent_disable(c->bev, EV_READ);
	if (output_queued(c) == 0)
		client_free(c);
}

static void server_flush(void *arg);

/* Queues an answer; while a commit group is open, behind it. */
static void send_json(struct client *c, json_t *answer)
{
	struct server *s = c->server;
	struct evbuffer *out = bufferevent_get_output(c->bev);
	if (db_group_open(s->adfd->db) || c->held_ids) {
		if (!c->held_ids) {
			c->held_ids = json_array();
			if (!c->held)
				c->held = evbuffer_new();
			TAILQ_INSERT_TAIL(&s->waiting, c, waiting_entry);
		}
		json_array_append(c->held_ids, json_object_get(answer, "id"));
		s->held_answers++;
		out = c->held;
		event_active(s->commit, 0, 0);
	}
	char *text = json_dumps(answer, JSON_COMPACT);
	json_decref(answer);
	if (text) {
		evbuffer_add(out, text, strlen(text));
		evbuffer_add(out, "\n", 1);
		free(text);
	}
	if (s->held_answers >= GROUP_MAX_ANSWERS)
		server_flush(s);
}

/* Commits the open group and lets its answers go, or turns them into
 * errors: an answer given inside the group may tell of its writes. The
 * released output wakes each client's write callback, which goes on with
 * whatever waited (a stream, paused reading, a close). */
static void server_flush(void *arg)
{
	struct server *s = arg;
	struct adf_error err = {0};
	int rc = work_group_commit(s->adfd, &err);
	struct client *c;
	while ((c = TAILQ_FIRST(&s->waiting))) {
		TAILQ_REMOVE(&s->waiting, c, waiting_entry);
		json_t *ids = c->held_ids;
		c->held_ids = NULL;
		s->held_answers -= json_array_size(ids);
		if (rc == 0) {
			evbuffer_add_buffer(bufferevent_get_output(c->bev), c->held);
		} else {
			evbuffer_drain(c->held, evbuffer_get_length(c->held));
			size_t i;
			json_t *id;
			json_array_foreach(ids, i, id)
			    send_json(c, proto_answer_error(id, err.code, err.message));
		}
		json_decref(ids);
	}
}

static void server_commit_soon(void *arg)
{
	struct server *s = arg;
	event_active(s->commit, 0, 0);
}

static void on_commit(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	server_flush(arg);
}

/* A client has idle_timeout to send a complete request, and, while
 * answers wait for it, write_timeout to read some of them: a slow reader
 * of a long export is not one that sends nothing. */
static void arm_deadline(struct client *c)
{
	const struct settings *cfg = &c->server->adfd->cfg;
	/* a watcher says nothing and may watch all day; one that does not
	 * read what it is told still has write_timeout */
	if (c->stream && c->stream->live && output_queued(c) == 0) {
		event_del(c->deadline);
		return;
	}
	struct timeval tv = {output_queued(c) > 0 ? cfg->write_timeout : cfg->idle_timeout, 0};
	/* a peer with no role may say one line, and soon */
	if (c->peer.role == ROLE_NONE && tv.tv_sec > STRANGER_TIMEOUT)
		tv.tv_sec = STRANGER_TIMEOUT;
	event_add(c->deadline, &tv);
}

/* Each byte the peer reads is progress: its deadline starts again. */
static void on_output_progress(struct evbuffer *buf, const struct evbuffer_cb_info *info, void *arg)
{
	(void)buf;
	struct client *c = arg;
	if (info->n_deleted > 0 && !c->closing)
		arm_deadline(c);
}

enum stream_state {
	STREAM_DONE,	/* finished: the connection takes requests again */
	STREAM_BLOCKED, /* the peer has not read what went: wait for it */
	STREAM_PARKED	/* a live stream with nothing to say until a change */
};

static void stream_end(struct client *c)
{
	c->stream->free(c->stream);
	c->stream = NULL;
	json_decref(c->stream_id);
	c->stream_id = NULL;
}

/* The next chunks of a streamed answer, while the peer keeps up. */
static enum stream_state client_stream(struct client *c)
{
	while (evbuffer_get_length(bufferevent_get_output(c->bev)) < STREAM_LOW_WATER) {
		json_t *chunk = NULL;
		bool done = false;
		struct adf_error err;
		if (c->stream->next(c->stream, c->server->adfd, &chunk, &done, &err) < 0) {
			/* the ok chunks already went: the error closes the answer */
			send_json(c, proto_answer_error(c->stream_id, err.code, err.message));
			done = true;
		} else if (chunk || done) {
			send_json(c, proto_answer(c->stream_id, chunk, !done));
		} else {
			return STREAM_PARKED;
		}
		if (done) {
			stream_end(c);
			return STREAM_DONE;
		}
	}
	return STREAM_BLOCKED;
}

/* A request (or the peer's end) ends a live stream: its last chunk says
 * there is no more. */
static void live_stream_end(struct client *c)
{
	send_json(c, proto_answer(c->stream_id, json_null(), false));
	stream_end(c);
}

/* Answers every complete line held, in order, until output backs up. */
static void client_process(struct client *c)
{
	const struct settings *cfg = &c->server->adfd->cfg;
	char *line;
	size_t len;

	while (!c->closing) {
		/* a stream's chunks wait for the commit, not pile up behind it */
		if (c->stream && c->held_ids) {
			c->reading_paused = true;
			bufferevent_disable(c->bev, EV_READ);
			return;
		}
		/* a parked live stream reads on: a request ends it, and so
		 * does the peer hanging up */
		if (c->stream && client_stream(c) == STREAM_BLOCKED) {
			/* on_write comes back when the peer has read; meanwhile its
			 * next requests wait in the socket */
			c->reading_paused = true;
			bufferevent_disable(c->bev, EV_READ);
			return;
		}
		if (output_queued(c) > cfg->max_output && !c->server->shutting_down) {
			/* The peer does not read its answers: stop reading its
			 * requests until it does. The deadline still runs. */
			c->reading_paused = true;
			bufferevent_disable(c->bev, EV_READ);
			return;
		}
		enum frame_status st = frame_next(&c->in, &line, &len);
		if (st == FRAME_NEED_MORE)
			break;
		if (st == FRAME_TOO_LONG) {
			char msg[128];
			snprintf(msg, sizeof msg, "request line longer than %zu bytes: closing",
				 cfg->max_line);
			log_warning("client uid %u: %s", (unsigned)c->peer.uid, msg);
			send_json(c, proto_answer_error(NULL, ADF_E_BAD_REQUEST, msg));
			client_close_after_output(c);
			return;
		}
		if (c->stream)
			live_stream_end(c);
		arm_deadline(c);
		if (len == 0)
			continue;
		struct stream *stream;
		json_t *answer = dispatch_line(c->server->adfd, &c->peer, line, len, &stream);
		if (stream) {
			c->stream = stream;
			c->stream_id = json_incref(json_object_get(answer, "id"));
		}
		send_json(c, answer);
		/* a peer with no role has heard why; its slot goes back */
		if (c->peer.role == ROLE_NONE) {
			client_close_after_output(c);
			return;
		}
	}
	/* answers wait: the reading deadline replaces the idle one */
	if (!c->closing && output_queued(c) > 0)
		arm_deadline(c);
	if (c->reading_paused && !c->closing) {
		c->reading_paused = false;
		bufferevent_enable(c->bev, EV_READ);
	}
}

/* Moves what arrived into the frame and answers it; -1 if out of memory. */
static int client_consume(struct client *c)
{
	struct evbuffer *in = bufferevent_get_input(c->bev);
	char chunk[16384];
	int n;
	while ((n = evbuffer_remove(in, chunk, sizeof chunk)) > 0) {
		if (frame_feed(&c->in, chunk, (size_t)n) < 0) {
			log_error("client uid %u: out of memory", (unsigned)c->peer.uid);
			return -1;
		}
		client_process(c);
		if (c->closing || c->reading_paused)
			return 0;
	}
	/* lines held back while output was capped */
	client_process(c);
	return 0;
}

/* At shutdown: what the peer sent before it is answered too. libevent
 * freezes a bufferevent's input, so this reads the socket itself, a
 * bounded amount, since a peer could keep sending. */
static int client_drain_socket(struct client *c)
{
	evutil_socket_t fd = bufferevent_getfd(c->bev);
	char chunk[16384];
	ssize_t n;
	for (int i = 0; i < 64 && !c->closing; i++) {
		n = recv(fd, chunk, sizeof chunk, MSG_DONTWAIT);
		if (n <= 0)
			break;
		if (frame_feed(&c->in, chunk, (size_t)n) < 0)
			return -1;
		client_process(c);
	}
	return 0;
}

static void on_read(struct bufferevent *bev, void *arg)
{
	(void)bev;
	struct client *c = arg;
	if (client_consume(c) < 0 || (c->closing && output_queued(c) == 0))
		client_free(c);
}

static void on_write(struct bufferevent *bev, void *arg)
{
	(void)bev;
	struct client *c = arg;
	if (c->closing) {
		client_free(c);
		return;
	}
	if (c->reading_paused || c->stream)
		client_process(c);
}

static void on_event(struct bufferevent *bev, short what, void *arg)
{
	(void)bev;
	struct client *c = arg;
	if (what & BEV_EVENT_EOF) {
		/* Answer what it sent before hanging up (it may still read). */
		client_process(c);
		if (output_queued(c) > 0 && !(what & BEV_EVENT_ERROR)) {
			client_close_after_output(c);
			return;
		}
	}
	client_free(c);
}

static void on_deadline(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	struct client *c = arg;
	if (output_queued(c) > 0)
		log_info("client uid %u: read none of its answers within %d s: closing",
			 (unsigned)c->peer.uid, c->server->adfd->cfg.write_timeout);
	else
		log_info("client uid %u: no complete request within %d s: closing",
			 (unsigned)c->peer.uid, c->server->adfd->cfg.idle_timeout);
	client_free(c);
}

/* The role from the peer's own groups (SO_PEERGROUPS, Linux 4.13), else
 * from the group database. */
static enum cmd_role peer_groups_role(const struct adfd *d, int fd, const struct ucred *cred)
{
#ifdef SO_PEERGROUPS
	gid_t few[64], *groups = few;
	socklen_t len = sizeof few;
	int rc = getsockopt(fd, SOL_SOCKET, SO_PEERGROUPS, groups, &len);
	if (rc < 0 && errno == ERANGE && (groups = malloc(len)) != NULL)
		rc = getsockopt(fd, SOL_SOCKET, SO_PEERGROUPS, groups, &len);
	enum cmd_role role =
	    rc == 0 ? peer_role_groups(d, cred->uid, cred->gid, groups, len / sizeof(gid_t))
		    : peer_role(d, cred->uid, cred->gid);
	if (groups != few)
		free(groups);
	return role;
#else
	(void)fd;
	return peer_role(d, cred->uid, cred->gid);
#endif
}

int server_watchers_of_uid(const struct server *s, uid_t uid)
{
	int n = 0;
	const struct client *c;
	TAILQ_FOREACH(c, &s->clients, entry)
	n += c->peer.has_cred && c->peer.uid == uid && c->stream && c->stream->live;
	return n;
}

static int clients_of_uid(struct server *s, uid_t uid)
{
	int n = 0;
	struct client *c;
	TAILQ_FOREACH(c, &s->clients, entry)
	n += c->peer.has_cred && c->peer.uid == uid;
	return n;
}

static void on_accept(struct evconnlistener *l, evutil_socket_t fd, struct sockaddr *sa,
		      int socklen, void *arg)
{
	(void)l;
	(void)sa;
	(void)socklen;
	struct server *s = arg;
	struct adfd *d = s->adfd;
	struct client *c = calloc(1, sizeof *c);
	if (!c) {
		close(fd);
		return;
	}
	c->server = s;
	c->bev = bufferevent_socket_new(d->base, fd, BEV_OPT_CLOSE_ON_FREE);
	c->deadline = evtimer_new(d->base, on_deadline, c);
	if (!c->bev || !c->deadline) {
		if (c->bev)
			bufferevent_free(c->bev);
		else
			close(fd);
		if (c->deadline)
			event_free(c->deadline);
		free(c);
		return;
	}
	frame_init(&c->in, d->cfg.max_line);
	TAILQ_INSERT_TAIL(&s->clients, c, entry);
	s->count++;
	bufferevent_setcb(c->bev, on_read, on_write, on_event, c);
	evbuffer_add_cb(bufferevent_get_output(c->bev), on_output_progress, c);

	struct ucred cred;
	socklen_t len = sizeof cred;
	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) == 0 && len == sizeof cred) {
		c->peer.has_cred = true;
		c->peer.uid = cred.uid;
		c->peer.gid = cred.gid;
		c->peer.pid = cred.pid;
		c->peer.role = peer_groups_role(d, fd, &cred);
	} else {
		log_warning("client without peer credentials: every command will be refused");
	}

	/* the last slots are kept for admins: readers and strangers in
	 * numbers never lock out the one who would mend things */
	int reserved = d->cfg.max_clients / 8 < ADMIN_SLOTS ? d->cfg.max_clients / 8 : ADMIN_SLOTS;
	const char *refusal = NULL;
	if (s->count > d->cfg.max_clients ||
	    (c->peer.role != ROLE_ADMIN && s->count > d->cfg.max_clients - reserved))
		refusal = "too many clients: try again later";
	else if (c->peer.has_cred && clients_of_uid(s, c->peer.uid) > d->cfg.max_clients_per_uid)
		refusal = "too many connections from this uid: try again later";
	if (refusal) {
		log_warning("client uid %u refused: %s", (unsigned)c->peer.uid, refusal);
		bufferevent_enable(c->bev, EV_WRITE);
		send_json(c, proto_answer_error(NULL, ADF_E_UNAVAILABLE, refusal));
		client_close_after_output(c);
		return;
	}
	log_debug("client uid %u pid %d connected, role %s", (unsigned)c->peer.uid,
		  (int)c->peer.pid, cmd_role_name(c->peer.role));
	arm_deadline(c);
	bufferevent_enable(c->bev, EV_READ | EV_WRITE);
}

static void on_accept_retry(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	struct server *s = arg;
	if (!s->shutting_down)
		evconnlistener_enable(s->listener);
}

/* Out of file descriptors: the pending connection stays readable, so accept
 * would spin. Pause accepting for a moment instead. */
static void on_accept_error(struct evconnlistener *l, void *arg)
{
	struct server *s = arg;
	listen_pause(l, s->accept_retry, "");
}

/* A live adfd answers on the path; a stale file does not. */
static int claim_path(const char *path, struct adf_error *err)
{
	struct stat st;
	if (lstat(path, &st) < 0)
		return errno == ENOENT
			   ? 0
			   : adf_fail(err, ADF_E_UNAVAILABLE, "%s: %s", path, strerror(errno));
	if (!S_ISSOCK(st.st_mode))
		return adf_fail(err, ADF_E_CONFLICT,
				"%s exists and is not a socket: not touching it", path);
	struct sockaddr_un sun = {.sun_family = AF_UNIX};
	snprintf(sun.sun_path, sizeof sun.sun_path, "%s", path);
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return adf_fail(err, ADF_E_UNAVAILABLE, "socket: %s", strerror(errno));
	int rc = connect(fd, (struct sockaddr *)&sun, sizeof sun);
	int e = errno;
	close(fd);
	if (rc == 0)
		return adf_fail(err, ADF_E_CONFLICT, "another adfd is already running on %s", path);
	if (e != ECONNREFUSED)
		return adf_fail(err, ADF_E_UNAVAILABLE, "%s: %s", path, strerror(e));
	log_info("removing stale socket %s", path);
	if (unlink(path) < 0)
		return adf_fail(err, ADF_E_UNAVAILABLE, "cannot remove stale %s: %s", path,
				strerror(errno));
	return 0;
}

static int bind_socket(struct adfd *d, struct adf_error *err)
{
	const char *path = d->cfg.socket_path;
	struct sockaddr_un sun = {.sun_family = AF_UNIX};
	if (strlen(path) >= sizeof sun.sun_path)
		return adf_fail(err, ADF_E_BAD_REQUEST, "socket path too long: %s", path);
	snprintf(sun.sun_path, sizeof sun.sun_path, "%s", path);
	if (claim_path(path, err) < 0)
		return -1;
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return adf_fail(err, ADF_E_UNAVAILABLE, "socket: %s", strerror(errno));
	/* Never a moment where the socket is wider open than configured. */
	mode_t old = umask(0777 & ~d->cfg.socket_mode);
	int rc = bind(fd, (struct sockaddr *)&sun, sizeof sun);
	int e = errno;
	umask(old);
	if (rc < 0) {
		close(fd);
		return adf_fail(err, ADF_E_UNAVAILABLE, "bind %s: %s", path, strerror(e));
	}
	if (chmod(path, d->cfg.socket_mode) < 0)
		log_warning("chmod %s: %s", path, strerror(errno));
	if (d->cfg.socket_group) {
		struct group *gr = getgrnam(d->cfg.socket_group);
		if (!gr)
			log_warning("socket_group \"%s\" does not exist: socket keeps its group",
				    d->cfg.socket_group);
		else if (chown(path, (uid_t)-1, gr->gr_gid) < 0)
			log_warning("chown %s: %s", path, strerror(errno));
	}
	if (listen(fd, 128) < 0) {
		close(fd);
		unlink(path);
		return adf_fail(err, ADF_E_UNAVAILABLE, "listen %s: %s", path, strerror(errno));
	}
	return fd;
}

static void on_watch_wake(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	struct server *s = arg;
	struct client *c, *next;
	for (c = TAILQ_FIRST(&s->clients); c; c = next) {
		next = TAILQ_NEXT(c, entry);
		if (c->stream && c->stream->live && c->stream->dirty && !c->closing)
			client_process(c);
	}
}

void server_changed(struct server *s)
{
	if (!s)
		return;
	bool any = false;
	struct client *c;
	TAILQ_FOREACH(c, &s->clients, entry)
	if (c->stream && c->stream->live) {
		c->stream->dirty = true;
		any = true;
	}
	if (any && !evtimer_pending(s->watch_wake, NULL)) {
		struct timeval delay = {0, WATCH_DELAY_USEC};
		evtimer_add(s->watch_wake, &delay);
	}
}

int server_start(struct adfd *d, int inherited_fd, struct adf_error *err)
{
	struct server *s = calloc(1, sizeof *s);
	if (!s)
		return adf_fail(err, ADF_E_INTERNAL, "out of memory");
	s->adfd = d;
	TAILQ_INIT(&s->clients);
	TAILQ_INIT(&s->waiting);
	s->commit = event_new(d->base, -1, 0, on_commit, s);
	s->watch_wake = evtimer_new(d->base, on_watch_wake, s);
	if (!s->commit || !s->watch_wake) {
		if (s->commit)
			event_free(s->commit);
		if (s->watch_wake)
			event_free(s->watch_wake);
		free(s);
		return adf_fail(err, ADF_E_INTERNAL, "out of memory");
	}
	/* after every request of the turn: the lowest priority */
	event_priority_set(s->commit, ADFD_PRIORITIES - 1);
	db_set_group_hooks(d->db, server_flush, server_commit_soon, s);
	int fd = inherited_fd;
	if (fd < 0) {
		fd = bind_socket(d, err);
		if (fd < 0) {
			server_free(s);
			return -1;
		}
		s->path = strdup(d->cfg.socket_path);
	} else {
		evutil_make_socket_nonblocking(fd);
	}
	s->listener = evconnlistener_new(d->base, on_accept, s,
					 LEV_OPT_CLOSE_ON_FREE | LEV_OPT_CLOSE_ON_EXEC, -1, fd);
	s->accept_retry = evtimer_new(d->base, on_accept_retry, s);
	if (!s->listener || !s->accept_retry) {
		if (!s->listener)
			close(fd);
		server_free(s);
		return adf_fail(err, ADF_E_INTERNAL, "cannot listen: out of memory");
	}
	evconnlistener_set_error_cb(s->listener, on_accept_error);
	d->server = s;
	return 0;
}

void server_shutdown(struct server *s)
{
	s->shutting_down = true;
	if (s->listener) {
		evconnlistener_free(s->listener);
		s->listener = NULL;
	}
	if (s->path) {
		unlink(s->path);
		free(s->path);
		s->path = NULL;
	}
	/* Answer what has arrived, the socket's buffer included, then close
	 * each client once its answers are written. */
	struct client *c, *next;
	for (c = TAILQ_FIRST(&s->clients); c; c = next) {
		next = TAILQ_NEXT(c, entry);
		if (c->closing)
			continue;
		if (client_consume(c) < 0 || client_drain_socket(c) < 0) {
			client_free(c);
			continue;
		}
		client_close_after_output(c);
	}
	server_flush(s);
	if (s->count == 0)
		event_base_loopexit(s->adfd->base, NULL);
}

void server_free(struct server *s)
{
	if (!s)
		return;
	server_flush(s);
	db_set_group_hooks(s->adfd->db, NULL, NULL, NULL);
	while (!TAILQ_EMPTY(&s->clients)) {
		s->shutting_down = false;
		client_free(TAILQ_FIRST(&s->clients));
	}
	if (s->listener)
		evconnlistener_free(s->listener);
	if (s->accept_retry)
		event_free(s->accept_retry);
	if (s->commit)
		event_free(s->commit);
	if (s->watch_wake)
		event_free(s->watch_wake);
	if (s->path) {
		unlink(s->path);
		free(s->path);
	}
	free(s);
}

int server_client_count(const struct server *s)
{
	return s ? s->count : 0;
}
