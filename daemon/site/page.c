/* The site's answers: French pages built in memory and sent at once, with
 * the headers every answer carries. */
#include "config.h"

#include <event2/buffer.h>
#include <event2/http.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "page.h"
#include "programme.h"
#include "text.h"

static const char site_css[] =
    "nav{font-size:.9rem;margin-bottom:1rem}\n"
    "ul.tour{list-style:none;padding:0}\n"
    "ul.tour li{border-bottom:1px solid #ccc;padding:.8rem 0}\n"
    ".seats{font-size:.9rem;color:#234}\n"
    "form p{margin:.9rem 0}\n"
    "label{display:block;font-weight:bold;margin-bottom:.2rem}\n"
    "input,select,button{font:inherit;width:100%;padding:.55rem;box-sizing:border-box;"
    "border:1px solid #888;border-radius:4px}\n"
    ".consent{display:flex;gap:.6rem;align-items:flex-start}\n"
    ".consent input{width:auto;margin-top:.3rem}\n"
    ".consent label{font-weight:normal}\n"
    /* a scale's answers: the box at the left of its words, a tap target
     * of a finger's size */
    "fieldset label{display:flex;gap:.6rem;align-items:center;font-weight:normal;"
    "min-height:2.75rem;margin:0}\n"
    "fieldset input{width:1.4rem;height:1.4rem;margin:0}\n"
    "fieldset{border:1px solid #888;border-radius:4px;margin:1rem 0}\n"
    "legend{font-weight:bold;padding:0 .3rem}\n"
    "textarea{font:inherit;width:100%;box-sizing:border-box;padding:.55rem;"
    "border:1px solid #888;border-radius:4px}\n"
    "button{background:#234;color:#fff;border:0;cursor:pointer;font-weight:bold}\n"
    "button.danger{background:#a00}\n"
    ".notice{border-left:4px solid #234;padding:.5rem 1rem;background:#eef}\n"
    ".error{border-left:4px solid #a00;padding:.5rem 1rem;background:#fee}\n"
    ".done{border-left:4px solid #080;padding:.5rem 1rem;background:#efe}\n"
    "footer{margin-top:2rem;font-size:.8rem;color:#555}\n"
    ".small{font-size:.9rem}\n"
    /* a focus that shows, whatever the browser's default */
    "a:focus-visible,button:focus-visible,input:focus-visible,select:focus-visible,"
    "[tabindex]:focus-visible{outline:3px solid #c60;outline-offset:2px}\n"
    /* shown over the page when focused: nothing moves under a pointer */
    ".skip{position:absolute;left:-999px;top:.5rem;background:#fff;padding:.3rem .6rem}\n"
    ".skip:focus{left:.5rem}\n"
    ".field-error{display:block;color:#a00;font-weight:bold;margin-top:.2rem}\n"
    "[aria-invalid=true]{border:2px solid #a00}\n";

static void common_headers(struct evhttp_request *req, const char *type, bool private)
{
	struct evkeyvalq *h = evhttp_request_get_output_headers(req);
	evhttp_add_header(h, "Content-Type", type);
	evhttp_add_header(
	    h, "Content-Security-Policy",
	    "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self';"
	    " base-uri 'none'; frame-ancestors 'none'");
	evhttp_add_header(h, "X-Content-Type-Options", "nosniff");
	/* a cancel link must not leave in a Referer */
	evhttp_add_header(h, "Referrer-Policy", "no-referrer");
	evhttp_add_header(h, "X-Frame-Options", "DENY");
	evhttp_add_header(h, "Cache-Control", private ? "no-store" : "no-cache");
}

/* Sends the answer; a HEAD gets GET's headers, its Content-Length
 * included, and no body (evhttp would send one if given it). */
static void reply(struct evhttp_request *req, int status, const char *reason, const char *data,
		  size_t len)
{
	if (evhttp_request_get_command(req) == EVHTTP_REQ_HEAD) {
		char length[24];
		snprintf(length, sizeof length, "%zu", len);
		evhttp_add_header(evhttp_request_get_output_headers(req), "Content-Length", length);
		evhttp_send_reply(req, status, reason, NULL);
		return;
	}
	struct evbuffer *body = evbuffer_new();
	if (body && data)
		evbuffer_add(body, data, len);
	evhttp_send_reply(req, status, reason, body);
	if (body)
		evbuffer_free(body);
}

static const char *reason_phrase(int status)
{
	switch (status) {
	case 200:
		return "OK";
	case 400:
		return "Bad Request";
	case 403:
		return "Forbidden";
	case 404:
		return "Not Found";
	case 405:
		return "Method Not Allowed";
	case 409:
		return "Conflict";
	case 410:
		return "Gone";
	case 415:
		return "Unsupported Media Type";
	case 429:
		return "Too Many Requests";
	case 503:
		return "Service Unavailable";
	default:
		return "Internal Server Error";
	}
}

FILE *page_begin(struct page *p, const char *title)
{
	p->html = NULL;
	p->out = open_memstream(&p->html, &p->len);
	if (!p->out)
		return NULL;
	fputs("<!DOCTYPE html>\n<html lang=\"fr\">\n<head>\n<meta charset=\"utf-8\">\n"
	      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>",
	      p->out);
	html_write(p->out, title);
	fputs(" — Les Ateliers des Départements de France</title>\n"
	      "<link rel=\"stylesheet\" href=\"/style.css\">\n</head>\n<body>\n"
	      /* the first thing a keyboard reaches: past the navigation */
	      "<a class=\"skip\" href=\"#contenu\">Aller au contenu</a>\n"
	      "<nav aria-label=\"Site\"><a href=\"/\">Les Ateliers des Départements de "
	      "France</a></nav>\n<div id=\"contenu\" tabindex=\"-1\"></div>\n",
	      p->out);
	return p->out;
}

void page_send(struct evhttp_request *req, struct page *p, int status, bool private)
{
	if (!p->out) {
		evhttp_send_error(req, 500, NULL);
		return;
	}
	fputs("<footer>Les Ateliers des Départements de France — rencontres ouvertes à tous. "
	      "<a href=\"/donnees-personnelles\">Données personnelles</a> · "
	      "<a href=\"/accessibilite\">Accessibilité : partiellement conforme</a></footer>\n"
	      "</body>\n</html>\n",
	      p->out);
	fclose(p->out);
	common_headers(req, "text/html; charset=utf-8", private);
	reply(req, status, reason_phrase(status), p->html, p->html ? p->len : 0);
	free(p->html);
}

void page_message(struct evhttp_request *req, int status, const char *title, const char *message,
		  const char *back)
{
	struct page p;
	FILE *out = page_begin(&p, title);
	if (out) {
		fputs("<main>\n<h1>", out);
		html_write(out, title);
		fprintf(out, "</h1>\n<p class=\"%s\">", status >= 400 ? "error" : "notice");
		html_write(out, message);
		fputs("</p>\n<p><a href=\"", out);
		html_write(out, back ? back : "/");
		fputs("\">Retour</a></p>\n</main>\n", out);
	}
	page_send(req, &p, status, true);
}

void page_unavailable(struct evhttp_request *req, const struct adf_error *err)
{
	log_error("web: %s", err->message);
	page_message(
	    req, err->code == ADF_E_UNAVAILABLE ? 503 : 500, "Service momentanément indisponible",
	    "Votre demande n'a pas pu être enregistrée. Réessayez dans quelques minutes.", NULL);
}

void page_file(struct evhttp_request *req, const char *type, const char *text, const char *filename)
{
	common_headers(req, type, false);
	if (filename) {
		char disposition[128];
		snprintf(disposition, sizeof disposition, "inline; filename=\"%s\"", filename);
		evhttp_add_header(evhttp_request_get_output_headers(req), "Content-Disposition",
				  disposition);
	}
	reply(req, 200, "OK", text, strlen(text));
}

void page_css(struct evhttp_request *req)
{
	char css[sizeof site_css + 1024];
	snprintf(css, sizeof css, "%s%s", programme_css, site_css);
	page_file(req, "text/css; charset=utf-8", css, NULL);
}

void page_no_icon(struct evhttp_request *req)
{
	common_headers(req, "image/x-icon", false);
	evhttp_send_reply(req, 204, "No Content", NULL);
}
