/* What the site's files share: the site itself, the words of the domain's
 * reasons, and the one write path as the site takes it. */
#ifndef ADF_SITE_H
#define ADF_SITE_H

#include <event2/http.h>
#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>

#include "guard.h"
#include "registration.h"

struct adfd;
struct work;
struct siteconns;

struct web {
	struct adfd *d;
	struct evhttp *http;
	struct evconnlistener *listener; /* evhttp's, paused when out of descriptors */
	struct event *accept_retry;
	struct siteconns *conns; /* a cap and a whole-request deadline */
	struct guard guard;
};

/* site/visitor.c: what the pages share about a visitor. */
/* A registration reason of the domain in the site's words: the one place
 * they are. */
const char *reason_fr(enum registration_reason why);
/* "mercredi 27 septembre 2017, 8 h 30, Hôtel du Département, Gap" */
void write_when_where(FILE *out, json_t *atelier);
/* The site's writes: a transaction of their own, audited as uid -1, and
 * mail planned after (WORK_CHANGED). */
int web_begin(struct web *w, struct work *job);
int web_end(struct work *job, bool done, const char *command);

/* The registration and its Atelier for the secret token of its mails, or
 * false having answered (404, 503). */
bool own_registration(struct web *w, struct evhttp_request *req, const char *token, json_t **reg,
		      json_t **atelier);

/* The satisfaction survey, by the same secret link (site/survey.c). */
void survey_page(struct web *w, struct evhttp_request *req, const char *token);
void survey_post(struct web *w, struct evhttp_request *req, const char *token);

/* One's own registration, by the secret link of its mails (site/cancel.c):
 * the page, and its form (cancel, or withdraw the news consent; a mail
 * client's one-click unsubscribe). */
void cancel_page(struct web *w, struct evhttp_request *req, const char *token);
void cancel_post(struct web *w, struct evhttp_request *req, const char *token);

#endif
