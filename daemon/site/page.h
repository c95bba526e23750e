/* The site's answers: French HTML pages with the security headers of the
 * site (CSP without inline style or script, nosniff, no Referer), files,
 * and the refusal pages. */
#ifndef ADF_PAGE_H
#define ADF_PAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "proto.h"

struct evhttp_request;

/* A page is written into memory, then sent at once with its status. */
struct page {
	char *html;
	size_t len;
	FILE *out;
};

/* Opens a page with its title and the way back to the tour; NULL if out
 * of memory (page_send then answers 500). */
FILE *page_begin(struct page *p, const char *title);
/* Closes the page and sends it; private pages are never cached. */
void page_send(struct evhttp_request *req, struct page *p, int status, bool private);
/* A French page for a refusal: a title, one paragraph, a way back (NULL:
 * the tour). */
void page_message(struct evhttp_request *req, int status, const char *title, const char *message,
		  const char *back);
/* The database could not answer: 503 (or 500), logged. */
void page_unavailable(struct evhttp_request *req, const struct adf_error *err);
/* A text file of the given type, inline under filename when not NULL. */
void page_file(struct evhttp_request *req, const char *type, const char *text,
	       const char *filename);
/* The site's style sheet: the programme's and the forms'. */
void page_css(struct evhttp_request *req);
/* Browsers ask for /favicon.ico: no icon (204), and no error in their
 * console. */
void page_no_icon(struct evhttp_request *req);

#endif
