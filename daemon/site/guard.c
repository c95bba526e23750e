/* What the site checks of a visitor before it writes: the form's CSRF
 * value, the rate of registrations from one address, the form itself,
 * and secrets compared in constant time. */
#include "config.h"

#include <arpa/inet.h>
#include <event2/buffer.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/queue.h>
#include <time.h>

#include "guard.h"
#include "page.h"
#include "text.h"

#define RATE_WINDOW 3600 /* seconds */
#define CSRF_COOKIE "adf_csrf"

bool guard_is_token(const char *s, size_t len)
{
	if (strlen(s) != len)
		return false;
	for (size_t i = 0; i < len; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	return true;
}

/* Equal secrets of GUARD_TOKEN_LEN characters, in a time that does not depend
 * on where they differ. */
bool guard_secret_equal(const char *a, const char *b)
{
	unsigned char diff = 0;
	for (size_t i = 0; i < GUARD_TOKEN_LEN; i++)
		diff |= (unsigned char)(a[i] ^ b[i]);
	return diff == 0;
}

/* The CSRF value of the visitor's cookie, if it holds a well-formed one. */
static bool csrf_cookie(struct evhttp_request *req, char out[GUARD_TOKEN_LEN + 1])
{
	const char *cookies = evhttp_find_header(evhttp_request_get_input_headers(req), "Cookie");
	for (const char *c = cookies; c && *c;) {
		while (*c == ' ' || *c == ';')
			c++;
		size_t n = strcspn(c, ";");
		size_t name = strlen(CSRF_COOKIE "=");
		if (n == name + GUARD_TOKEN_LEN && !strncmp(c, CSRF_COOKIE "=", name)) {
			memcpy(out, c + name, GUARD_TOKEN_LEN);
			out[GUARD_TOKEN_LEN] = '\0';
			if (guard_is_token(out, GUARD_TOKEN_LEN))
				return true;
		}
		c += n;
	}
	return false;
}

/* Double-submit: a form carries the value of a SameSite=Strict cookie, so
 * a form posted from another site cannot match it. The value is made when
 * the visitor has none. */
void guard_csrf_for_form(const struct settings *cfg, struct evhttp_request *req,
			 char out[GUARD_TOKEN_LEN + 1])
{
	if (csrf_cookie(req, out))
		return;
	/* a second form on the same page takes the value this answer sets
	 * already: two cookies would leave the first form's value stale */
	struct evkeyval *h;
	TAILQ_FOREACH(h, evhttp_request_get_output_headers(req), next)
	{
		size_t n = strlen(CSRF_COOKIE "=");
		if (!strcasecmp(h->key, "Set-Cookie") && !strncmp(h->value, CSRF_COOKIE "=", n) &&
		    strlen(h->value + n) >= GUARD_TOKEN_LEN &&
		    h->value[n + GUARD_TOKEN_LEN] == ';') {
			memcpy(out, h->value + n, GUARD_TOKEN_LEN);
			out[GUARD_TOKEN_LEN] = '\0';
			return;
		}
	}
	random_hex(out, GUARD_TOKEN_LEN / 2);
	char cookie[200];
	bool https = !strncmp(cfg->http_base_url, "https://", 8);
	snprintf(cookie, sizeof cookie, CSRF_COOKIE "=%s; Path=/; HttpOnly; SameSite=Strict%s", out,
		 https ? "; Secure" : "");
	evhttp_add_header(evhttp_request_get_output_headers(req), "Set-Cookie", cookie);
}

bool guard_csrf_valid(struct evhttp_request *req, struct evkeyvalq *form)
{
	char cookie[GUARD_TOKEN_LEN + 1];
	const char *sent = evhttp_find_header(form, "csrf");
	return csrf_cookie(req, cookie) && sent && guard_is_token(sent, GUARD_TOKEN_LEN) &&
	       guard_secret_equal(cookie, sent);
}

/* The visitor's address: the peer, or, when a reverse proxy in front is
 * trusted, the address that proxy saw: the right-most entry of the last
 * X-Forwarded-For line. A client may send its own lines; a proxy that
 * appends (nginx) or adds a line (HAProxy) puts what it saw last. */
static void client_address(const struct settings *cfg, struct evhttp_request *req, char *out,
			   size_t n)
{
	const char *fwd = NULL;
	if (cfg->http_forwarded_for) {
		struct evkeyval *h;
		TAILQ_FOREACH(h, evhttp_request_get_input_headers(req), next)
		if (!strcasecmp(h->key, "X-Forwarded-For"))
			fwd = h->value;
	}
	if (fwd) {
		const char *last = strrchr(fwd, ',');
		last = last ? last + 1 : fwd;
		while (*last == ' ' || *last == '\t')
			last++;
		if (*last) {
			snprintf(out, n, "%s", last);
			return;
		}
	}
	char *address = NULL;
	ev_uint16_t port;
	evhttp_connection_get_peer(evhttp_request_get_connection(req), &address, &port);
	snprintf(out, n, "%s", address ? address : "?");
}

/* The rate-limit slot of the visitor's address: a slot shared by two
 * addresses counts both, stricter, never looser. */
static struct rate_slot *rate_slot(struct guard *g, const struct settings *cfg,
				   struct evhttp_request *req)
{
	char address[64];
	client_address(cfg, req, address, sizeof address);
	/* one written form per address, and one quota per IPv6 /64: a single
	 * host holds 2^64 addresses of its network */
	struct in6_addr six;
	struct in_addr four;
	if (inet_pton(AF_INET6, address, &six) == 1) {
		memset(six.s6_addr + 8, 0, 8);
		inet_ntop(AF_INET6, &six, address, sizeof address);
	} else if (inet_pton(AF_INET, address, &four) == 1)
		inet_ntop(AF_INET, &four, address, sizeof address);
	unsigned hash = 2166136261u;
	for (const char *c = address; *c; c++)
		hash = (hash ^ (unsigned char)*c) * 16777619u;
	struct rate_slot *slot = &g->rates[hash % GUARD_RATE_SLOTS];
	time_t now = time(NULL);
	if (now - slot->since >= RATE_WINDOW) {
		snprintf(slot->address, sizeof slot->address, "%s", address);
		slot->since = now;
		slot->count = 0;
	}
	return slot;
}

/* The seconds the visitor must wait before registering again, or 0. Only
 * registrations made count: a typo costs nothing. */
long guard_rate_wait(struct guard *g, const struct settings *cfg, struct evhttp_request *req)
{
	int limit = cfg->http_registrations_per_hour;
	struct rate_slot *slot = limit > 0 ? rate_slot(g, cfg, req) : NULL;
	if (!slot || slot->count < limit)
		return 0;
	return (long)(slot->since + RATE_WINDOW - time(NULL));
}

void guard_rate_count(struct guard *g, const struct settings *cfg, struct evhttp_request *req)
{
	if (cfg->http_registrations_per_hour > 0)
		rate_slot(g, cfg, req)->count++;
}

bool guard_one_click_multipart(struct evhttp_request *req)
{
	const char *type =
	    evhttp_find_header(evhttp_request_get_input_headers(req), "Content-Type");
	if (!type || strncasecmp(type, "multipart/form-data", 19) != 0)
		return false;
	struct evbuffer *in = evhttp_request_get_input_buffer(req);
	size_t len = evbuffer_get_length(in);
	char *body = malloc(len + 1);
	if (!body)
		return false;
	evbuffer_copyout(in, body, len);
	body[len] = '\0';
	/* the part named List-Unsubscribe, its value after the blank line */
	const char *part =
	    memchr(body, '\0', len) ? NULL : strstr(body, "name=\"List-Unsubscribe\"");
	const char *value = part ? strstr(part, "\r\n\r\n") : NULL;
	bool one_click = value && !strncmp(value + 4, "One-Click", 9) &&
			 (value[13] == '\r' || value[13] == '\0');
	free(body);
	return one_click;
}

/* The fields of a form post (application/x-www-form-urlencoded); false
 * having answered with an error page. */
bool guard_read_form(struct evhttp_request *req, struct evkeyvalq *form)
{
	int status = 400;
	TAILQ_INIT(form);
	const char *type =
	    evhttp_find_header(evhttp_request_get_input_headers(req), "Content-Type");
	if (!type || strncasecmp(type, "application/x-www-form-urlencoded", 33) != 0) {
		status = 415;
		goto refused;
	}
	struct evbuffer *in = evhttp_request_get_input_buffer(req);
	size_t len = evbuffer_get_length(in);
	char *body = malloc(len + 1);
	if (!body) {
		status = 500;
		goto refused;
	}
	evbuffer_copyout(in, body, len);
	body[len] = '\0';
	/* a NUL, raw or encoded, would cut a field short without a word */
	bool ok = memchr(body, '\0', len) == NULL && !strcasestr(body, "%00") &&
		  evhttp_parse_query_str(body, form) == 0;
	free(body);
	if (ok)
		return true;
	evhttp_clear_headers(form);
refused:
	page_message(req, status, "Formulaire illisible",
		     "Le formulaire envoyé n'a pas pu être lu.", NULL);
	return false;
}
