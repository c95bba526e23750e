/* The site's connections, counted and given a deadline: libevent 2.1's
 * HTTP server has neither (its timeout restarts at every byte read, so a
 * client dripping a header line every few seconds stays for ever), and at
 * the descriptor limit the control socket would starve. */
#ifndef ADF_SITECONN_H
#define ADF_SITECONN_H

struct event_base;
struct evhttp;
struct evhttp_request;
struct siteconns;

/* Tracks the connections of http: at most max at once (more are closed at
 * once), each with deadline seconds to complete a request (from its
 * accept, or its previous request). NULL if out of memory. */
struct siteconns *siteconns_start(struct event_base *base, struct evhttp *http, int max,
				  int deadline);
/* A complete request arrived on its connection: the deadline restarts. */
void siteconns_request_done(struct siteconns *s, struct evhttp_request *req);
/* Live connections now. */
int siteconns_live(const struct siteconns *s);
/* After evhttp_free: lets go of every connection. */
void siteconns_stop(struct siteconns *s);

#endif
