/* What the site checks of a visitor before it writes: CSRF by double
 * submit (a SameSite=Strict cookie and the form's hidden value), the rate
 * of registrations made from one address, the form post itself. */
#ifndef ADF_GUARD_H
#define ADF_GUARD_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "settings.h"

#define GUARD_TOKEN_LEN 64    /* hex characters of a cancel token or a CSRF value */
#define GUARD_RATE_SLOTS 1024 /* client addresses whose registrations are counted */

struct evhttp_request;
struct evkeyvalq;

struct rate_slot {
	char address[64];
	time_t since;
	int count;
};

struct guard {
	struct rate_slot rates[GUARD_RATE_SLOTS];
};

/* s is len lowercase hex digits. */
bool guard_is_token(const char *s, size_t len);
/* Equal secrets of GUARD_TOKEN_LEN characters, in a time that does not
 * depend on where they differ. */
bool guard_secret_equal(const char *a, const char *b);
/* The CSRF value a form must carry: the visitor's cookie's, or a new one
 * set with this answer. */
void guard_csrf_for_form(const struct settings *cfg, struct evhttp_request *req,
			 char out[GUARD_TOKEN_LEN + 1]);
/* The form carries the value of the visitor's cookie. */
bool guard_csrf_valid(struct evhttp_request *req, struct evkeyvalq *form);
/* Seconds the visitor must wait before registering again, or 0. */
long guard_rate_wait(struct guard *g, const struct settings *cfg, struct evhttp_request *req);
/* Counts a registration made: only those count, a typo costs nothing. */
void guard_rate_count(struct guard *g, const struct settings *cfg, struct evhttp_request *req);
/* RFC 8058's one-click POST sent as multipart/form-data, as the RFC
 * advises mail clients to: List-Unsubscribe=One-Click. */
bool guard_one_click_multipart(struct evhttp_request *req);
/* The fields of a form post (application/x-www-form-urlencoded); false
 * having answered with a refusal page. */
bool guard_read_form(struct evhttp_request *req, struct evkeyvalq *form);

#endif
