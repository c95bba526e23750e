#include "config.h"

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "ctl.h"
#include "i18n.h"

#define SYSTEM_SOCKET "/run/adf/adfd.sock"
#define LOCAL_SOCKET "state/adfd.sock"
#define MAX_ANSWER (64u << 20)

const char *conn_default_path(void)
{
	const char *env = getenv("ADF_SOCKET");
	struct stat st;
	if (env && *env)
		return env;
	if (stat(SYSTEM_SOCKET, &st) == 0)
		return SYSTEM_SOCKET;
	return LOCAL_SOCKET;
}

int conn_open(struct conn *c, const char *path)
{
	struct sockaddr_un sun = {.sun_family = AF_UNIX};
	frame_init(&c->in, MAX_ANSWER);
	c->fd = -1;
	if (strlen(path) >= sizeof sun.sun_path) {
		fprintf(stderr, _("adfctl: socket path too long: %s\n"), path);
		return -1;
	}
	snprintf(sun.sun_path, sizeof sun.sun_path, "%s", path);
	c->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (c->fd < 0 || connect(c->fd, (struct sockaddr *)&sun, sizeof sun) < 0) {
		fprintf(stderr,
			_("adfctl: cannot reach adfd at %s: %s (is adfd running? see -s)\n"), path,
			strerror(errno));
		conn_close(c);
		return -1;
	}
	return 0;
}

void conn_close(struct conn *c)
{
	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
	frame_free(&c->in);
}

int conn_send(struct conn *c, const char *data, size_t len)
{
	while (len > 0) {
		ssize_t n = send(c->fd, data, len, MSG_NOSIGNAL);
		if (n < 0 && errno == EINTR)
			continue;
		/* adfd stopped reading (a request too long): its answer says why */
		if (n < 0 && (errno == EPIPE || errno == ECONNRESET))
			return -2;
		if (n < 0) {
			fprintf(stderr, _("adfctl: send: %s\n"), strerror(errno));
			return -1;
		}
		data += n;
		len -= (size_t)n;
	}
	return 0;
}

/* The next whole line from the daemon; NULL at its end. */
static char *receive_line(struct conn *c, size_t *len)
{
	for (;;) {
		char *line;
		enum frame_status st = frame_next(&c->in, &line, len);
		if (st == FRAME_LINE)
			return line;
		if (st == FRAME_TOO_LONG) {
			fprintf(stderr, _("adfctl: answer longer than %u bytes\n"), MAX_ANSWER);
			return NULL;
		}
		char buf[65536];
		ssize_t n = recv(c->fd, buf, sizeof buf, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			if (n < 0)
				fprintf(stderr, _("adfctl: receive: %s\n"), strerror(errno));
			else
				fprintf(stderr, _("adfctl: adfd closed the connection\n"));
			return NULL;
		}
		if (frame_feed(&c->in, buf, (size_t)n) < 0)
			return NULL;
	}
}

int conn_receive(struct conn *c, struct proto_answer *a)
{
	size_t len;
	char *line = receive_line(c, &len);
	if (!line)
		return EXIT_NO_DAEMON;
	char why[200];
	enum proto_read rc = proto_read_answer(line, len, a, why, sizeof why);
	if (rc != PROTO_READ_OK)
		fprintf(stderr, _("adfctl: %s\n"), why);
	return rc == PROTO_READ_OK	  ? EXIT_OK
	       : rc == PROTO_READ_VERSION ? EXIT_PROTOCOL
					  : EXIT_NO_DAEMON;
}

bool conn_closed_by_peer(struct conn *c)
{
	struct pollfd pfd = {.fd = c->fd, .events = POLLIN};
	char byte;
	return c->fd < 0 ||
	       (poll(&pfd, 1, 0) == 1 && recv(c->fd, &byte, 1, MSG_PEEK | MSG_DONTWAIT) <= 0);
}

int conn_call(struct conn *c, const char *command, json_t *args, struct proto_answer *a)
{
	json_t *req = proto_request(1, command, args);
	char *text = json_dumps(req, JSON_COMPACT);
	json_decref(req);
	int rc = text ? conn_send(c, text, strlen(text)) : -1;
	free(text);
	if (rc == 0)
		rc = conn_send(c, "\n", 1);
	if (rc == -1)
		return EXIT_NO_DAEMON;
	return conn_receive(c, a);
}

/* Writes requests while reading answers, so that neither side's buffers
 * fill up and wait for the other. */
int conn_batch(struct conn *c, FILE *in, FILE *out)
{
	char *line = NULL;
	size_t cap = 0, pending = 0;
	bool input_done = false, failed = false, misread = false, protocol = false;
	char *outbuf = NULL;
	size_t outlen = 0, outpos = 0;

	while (!input_done || pending > 0 || outpos < outlen) {
		if (outpos == outlen && !input_done) {
			ssize_t n = getline(&line, &cap, in);
			if (n < 0) {
				input_done = true;
				shutdown(c->fd, SHUT_WR);
				continue;
			}
			if (n == 0 || strspn(line, " \t\r\n") == (size_t)n)
				continue;
			free(outbuf);
			outbuf = line;
			outlen = (size_t)n;
			outpos = 0;
			line = NULL;
			cap = 0;
			if (outbuf[outlen - 1] != '\n') {
				char *grown = realloc(outbuf, outlen + 1);
				if (!grown)
					break;
				outbuf = grown;
				outbuf[outlen++] = '\n';
			}
			pending++;
		}
		struct pollfd pfd = {.fd = c->fd, .events = POLLIN};
		if (outpos < outlen)
			pfd.events |= POLLOUT;
		if (poll(&pfd, 1, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (pfd.revents & POLLOUT) {
			ssize_t n = send(c->fd, outbuf + outpos, outlen - outpos,
					 MSG_NOSIGNAL | MSG_DONTWAIT);
			if (n > 0)
				outpos += (size_t)n;
			else if (n < 0 && errno != EAGAIN && errno != EINTR) {
				fprintf(stderr, _("adfctl: send: %s\n"), strerror(errno));
				failed = true;
				break;
			}
		}
		if (pfd.revents & (POLLIN | POLLHUP | POLLERR)) {
			char buf[65536];
			ssize_t n = recv(c->fd, buf, sizeof buf, MSG_DONTWAIT);
			if (n <= 0) {
				if (pending > 0 || outpos < outlen) {
					fprintf(stderr,
						_("adfctl: adfd closed the connection with %zu "
						  "request(s) unanswered\n"),
						pending);
					failed = true;
				}
				break;
			}
			frame_feed(&c->in, buf, (size_t)n);
			char *answer;
			size_t len;
			while (!misread && frame_next(&c->in, &answer, &len) == FRAME_LINE) {
				struct proto_answer a;
				char why[200];
				enum proto_read rc =
				    proto_read_answer(answer, len, &a, why, sizeof why);
				if (rc != PROTO_READ_OK) {
					fprintf(stderr, _("adfctl: %s\n"), why);
					misread = true;
					protocol |= rc == PROTO_READ_VERSION;
					break;
				}
				failed |= !a.ok;
				/* a streamed answer comes in chunks: the request is
				 * answered with its last one */
				fprintf(out, "%s\n", answer);
				if (pending > 0 && !a.more)
					pending--;
				proto_answer_free(&a);
			}
			if (misread)
				break;
		}
	}
	free(line);
	free(outbuf);
	fflush(out);
	return protocol	 ? EXIT_PROTOCOL
	       : misread ? EXIT_NO_DAEMON
	       : failed	 ? EXIT_REFUSED
			 : EXIT_OK;
}
