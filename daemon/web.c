/* The public site (doc/design.md §11). Pages are French, work without
 * JavaScript and on a phone. What a visitor can change is their own
 * registration: registering, and cancelling through the secret link of
 * their mails. Everything else goes through the control socket. */
#include "config.h"

#include <event2/buffer.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <event2/listener.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/queue.h>
#include <time.h>

#include "adfd.h"
#include "atelier.h"
#include "audit.h"
#include "db.h"
#include "dispatch.h"
#include "handlers.h"
#include "ical.h"
#include "log.h"
#include "paris.h"
#include "programme.h"
#include "registration.h"
#include "scheduler.h"
#include "text.h"
#include "web.h"

#define TOKEN_LEN 64	 /* hex characters of a cancel token or a CSRF value */
#define SELECTOR_LEN 16	 /* the part of a cancel token its lookup uses */
#define RATE_SLOTS 1024	 /* client addresses whose registrations are counted */
#define RATE_WINDOW 3600 /* seconds */
#define CSRF_COOKIE "adf_csrf"

struct rate_slot {
	char address[64];
	time_t since;
	int count;
};

struct web {
	struct adfd *d;
	struct evhttp *http;
	struct evconnlistener *listener; /* evhttp's, paused when out of descriptors */
	struct event *accept_retry;
	struct rate_slot rates[RATE_SLOTS];
};

/* The public site reads as a read-only peer; its two writes are functions
 * of this file, never commands of the table. */
static const struct peer web_peer = {.role = ROLE_READ};

static const struct {
	const char *value, *label;
} categories[] = {
    {"elu", "Élue, élu"}, {"agent", "Agent d'une collectivité"}, {"partenaire", "Partenaire"},
    {"presse", "Presse"}, {"entreprise", "Entreprise"},		 {"public", "Public"},
};
#define CATEGORY_COUNT (sizeof categories / sizeof categories[0])

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
    "button{background:#234;color:#fff;border:0;cursor:pointer;font-weight:bold}\n"
    "button.danger{background:#a00}\n"
    ".notice{border-left:4px solid #234;padding:.5rem 1rem;background:#eef}\n"
    ".error{border-left:4px solid #a00;padding:.5rem 1rem;background:#fee}\n"
    ".done{border-left:4px solid #080;padding:.5rem 1rem;background:#efe}\n"
    "footer{margin-top:2rem;font-size:.8rem;color:#555}\n";

static const char *get(json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

/* A request of the site, for the handlers' helpers. */
static void req_init(struct req *r, struct web *w, json_t *args)
{
	memset(r, 0, sizeof *r);
	r->adfd = w->d;
	r->db = w->d->db;
	r->peer = &web_peer;
	r->args = args;
}

/* ---- Responses ---------------------------------------------------------- */

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

/* A page is written into memory, then sent at once with its status. */
struct page {
	char *html;
	size_t len;
	FILE *out;
};

static FILE *page_begin(struct page *p, const char *title)
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
	      "<nav><a href=\"/\">Les Ateliers des Départements de France</a></nav>\n",
	      p->out);
	return p->out;
}

static void page_send(struct evhttp_request *req, struct page *p, int status, bool private)
{
	if (!p->out) {
		evhttp_send_error(req, 500, NULL);
		return;
	}
	fputs("<footer>Les Ateliers des Départements de France — rencontres ouvertes à tous."
	      "</footer>\n</body>\n</html>\n",
	      p->out);
	fclose(p->out);
	common_headers(req, "text/html; charset=utf-8", private);
	struct evbuffer *body = evbuffer_new();
	if (body && p->html)
		evbuffer_add(body, p->html, p->len);
	evhttp_send_reply(req, status, reason_phrase(status), body);
	if (body)
		evbuffer_free(body);
	free(p->html);
}

/* A French page for a refusal: a title, one paragraph, a way back. */
static void send_message(struct evhttp_request *req, int status, const char *title,
			 const char *message, const char *back)
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

static void send_unavailable(struct evhttp_request *req, const struct adf_error *err)
{
	log_error("web: %s", err->message);
	send_message(
	    req, err->code == ADF_E_UNAVAILABLE ? 503 : 500, "Service momentanément indisponible",
	    "Votre demande n'a pas pu être enregistrée. Réessayez dans quelques minutes.", NULL);
}

static void send_file(struct evhttp_request *req, const char *type, const char *text,
		      const char *filename)
{
	common_headers(req, type, false);
	if (filename) {
		char disposition[128];
		snprintf(disposition, sizeof disposition, "inline; filename=\"%s\"", filename);
		evhttp_add_header(evhttp_request_get_output_headers(req), "Content-Disposition",
				  disposition);
	}
	struct evbuffer *body = evbuffer_new();
	if (body)
		evbuffer_add(body, text, strlen(text));
	evhttp_send_reply(req, 200, "OK", body);
	if (body)
		evbuffer_free(body);
}

/* ---- Secrets ------------------------------------------------------------ */

static bool is_token(const char *s, size_t len)
{
	if (strlen(s) != len)
		return false;
	for (size_t i = 0; i < len; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	return true;
}

/* Equal secrets of TOKEN_LEN characters, in a time that does not depend
 * on where they differ. */
static bool secret_equal(const char *a, const char *b)
{
	unsigned char diff = 0;
	for (size_t i = 0; i < TOKEN_LEN; i++)
		diff |= (unsigned char)(a[i] ^ b[i]);
	return diff == 0;
}

/* The CSRF value of the visitor's cookie, if it holds a well-formed one. */
static bool csrf_cookie(struct evhttp_request *req, char out[TOKEN_LEN + 1])
{
	const char *cookies = evhttp_find_header(evhttp_request_get_input_headers(req), "Cookie");
	for (const char *c = cookies; c && *c;) {
		while (*c == ' ' || *c == ';')
			c++;
		size_t n = strcspn(c, ";");
		size_t name = strlen(CSRF_COOKIE "=");
		if (n == name + TOKEN_LEN && !strncmp(c, CSRF_COOKIE "=", name)) {
			memcpy(out, c + name, TOKEN_LEN);
			out[TOKEN_LEN] = '\0';
			if (is_token(out, TOKEN_LEN))
				return true;
		}
		c += n;
	}
	return false;
}

/* Double-submit: a form carries the value of a SameSite=Strict cookie, so
 * a form posted from another site cannot match it. The value is made when
 * the visitor has none. */
static void csrf_for_form(struct web *w, struct evhttp_request *req, char out[TOKEN_LEN + 1])
{
	if (csrf_cookie(req, out))
		return;
	random_hex(out, TOKEN_LEN / 2);
	char cookie[200];
	bool https = !strncmp(w->d->cfg.http_base_url, "https://", 8);
	snprintf(cookie, sizeof cookie, CSRF_COOKIE "=%s; Path=/; HttpOnly; SameSite=Strict%s", out,
		 https ? "; Secure" : "");
	evhttp_add_header(evhttp_request_get_output_headers(req), "Set-Cookie", cookie);
}

static bool csrf_valid(struct evhttp_request *req, struct evkeyvalq *form)
{
	char cookie[TOKEN_LEN + 1];
	const char *sent = evhttp_find_header(form, "csrf");
	return csrf_cookie(req, cookie) && sent && is_token(sent, TOKEN_LEN) &&
	       secret_equal(cookie, sent);
}

/* ---- Requests ----------------------------------------------------------- */

/* The visitor's address: the peer, or the last X-Forwarded-For hop when a
 * reverse proxy in front is trusted to set it. */
static void client_address(struct web *w, struct evhttp_request *req, char *out, size_t n)
{
	const char *fwd =
	    w->d->cfg.http_forwarded_for
		? evhttp_find_header(evhttp_request_get_input_headers(req), "X-Forwarded-For")
		: NULL;
	if (fwd) {
		const char *last = strrchr(fwd, ',');
		last = last ? last + 1 : fwd;
		while (*last == ' ')
			last++;
		snprintf(out, n, "%s", last);
		return;
	}
	char *address = NULL;
	ev_uint16_t port;
	evhttp_connection_get_peer(evhttp_request_get_connection(req), &address, &port);
	snprintf(out, n, "%s", address ? address : "?");
}

/* The rate-limit slot of the visitor's address: a slot shared by two
 * addresses counts both, stricter, never looser. */
static struct rate_slot *rate_slot(struct web *w, struct evhttp_request *req)
{
	char address[64];
	client_address(w, req, address, sizeof address);
	unsigned hash = 2166136261u;
	for (const char *c = address; *c; c++)
		hash = (hash ^ (unsigned char)*c) * 16777619u;
	struct rate_slot *slot = &w->rates[hash % RATE_SLOTS];
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
static long rate_wait(struct web *w, struct evhttp_request *req)
{
	int limit = w->d->cfg.http_registrations_per_hour;
	struct rate_slot *slot = limit > 0 ? rate_slot(w, req) : NULL;
	if (!slot || slot->count < limit)
		return 0;
	return (long)(slot->since + RATE_WINDOW - time(NULL));
}

static void rate_count(struct web *w, struct evhttp_request *req)
{
	if (w->d->cfg.http_registrations_per_hour > 0)
		rate_slot(w, req)->count++;
}

/* The fields of a form post (application/x-www-form-urlencoded); false
 * having answered with an error page. */
static bool read_form(struct evhttp_request *req, struct evkeyvalq *form)
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
	bool ok = memchr(body, '\0', len) == NULL && evhttp_parse_query_str(body, form) == 0;
	free(body);
	if (ok)
		return true;
	evhttp_clear_headers(form);
refused:
	send_message(req, status, "Formulaire illisible",
		     "Le formulaire envoyé n'a pas pu être lu.", NULL);
	return false;
}

/* A public Atelier (not a draft), or NULL having answered 404. */
static json_t *public_atelier(struct web *w, struct evhttp_request *req, long long id)
{
	struct req r;
	req_init(&r, w, NULL);
	json_t *atelier = atelier_get(&r, id);
	if (atelier && strcmp(get(atelier, "status"), "draft") != 0)
		return atelier;
	json_decref(atelier);
	if (r.err.code != ADF_E_NOT_FOUND && r.err.code != ADF_OK)
		send_unavailable(req, &r.err);
	else
		send_message(req, 404, "Atelier introuvable",
			     "Cet Atelier n'existe pas ou n'est pas encore annoncé.", "/");
	return NULL;
}

/* Why the Atelier takes no registration, in French; NULL when it does. */
static const char *closed_reason(json_t *atelier)
{
	char today[11];
	paris_today(today);
	const char *status = get(atelier, "status");
	if (!strcmp(status, "cancelled"))
		return "Cet Atelier est annulé : les inscriptions sont fermées.";
	if (!strcmp(status, "held") || strcmp(get(atelier, "date"), today) < 0)
		return "Cet Atelier a eu lieu : les inscriptions sont closes.";
	if (strcmp(status, "scheduled") != 0)
		return "Les inscriptions à cet Atelier ne sont pas ouvertes.";
	return NULL;
}

static long long seats_left(struct web *w, json_t *atelier)
{
	struct req r;
	req_init(&r, w, NULL);
	long long taken =
	    registration_seats_taken(&r, json_integer_value(json_object_get(atelier, "id")));
	long long left = json_integer_value(json_object_get(atelier, "capacity")) - taken;
	return taken < 0 || left < 0 ? 0 : left;
}

/* "mercredi 27 septembre 2017, 8 h 30, Hôtel du Département, Gap" */
static void write_when_where(FILE *out, json_t *atelier)
{
	html_write(out, get(atelier, "when_fr"));
	fputs(", ", out);
	html_write(out, get(atelier, "venue"));
	fputs(", ", out);
	html_write(out, get(atelier, "city"));
}

/* ---- The tour ----------------------------------------------------------- */

static void tour_page(struct web *w, struct evhttp_request *req)
{
	struct req r;
	req_init(&r, w, NULL);
	json_t *all = atelier_list_json(&r, NULL, NULL, NULL);
	if (!all) {
		send_unavailable(req, &r.err);
		return;
	}
	char today[11];
	paris_today(today);
	struct page p;
	FILE *out = page_begin(&p, "Le tour");
	if (!out) {
		json_decref(all);
		evhttp_send_error(req, 500, NULL);
		return;
	}
	fputs("<header>\n<p class=\"series\">Les Ateliers des Départements de France</p>\n"
	      "<h1>Les prochains Ateliers</h1>\n<p>Une rencontre par mois, organisée avec un "
	      "Département. Ouverte à tous, sur inscription.</p>\n</header>\n<main>\n",
	      out);
	size_t shown = 0, i;
	json_t *a;
	json_array_foreach(all, i, a)
	{
		const char *status = get(a, "status");
		if (strcmp(get(a, "date"), today) < 0 ||
		    (strcmp(status, "scheduled") && strcmp(status, "cancelled")))
			continue;
		if (shown++ == 0)
			fputs("<ul class=\"tour\">\n", out);
		long long id = json_integer_value(json_object_get(a, "id"));
		fprintf(out, "<li>\n<a href=\"/ateliers/%lld\"><strong>", id);
		html_write(out, get(a, "when_fr"));
		fputs("</strong></a><br>\n", out);
		html_write(out, get(a, "departement_name"));
		fputs(" — ", out);
		html_write(out, get(a, "city"));
		fputs("<br>\n<em>", out);
		html_write(out, get(a, "title"));
		fputs("</em><br>\n<span class=\"seats\">", out);
		long long left = strcmp(status, "cancelled") ? seats_left(w, a) : 0;
		if (!strcmp(status, "cancelled"))
			fputs("Annulé", out);
		else if (left > 1)
			fprintf(out, "%lld places restantes", left);
		else if (left == 1)
			fputs("1 place restante", out);
		else
			fputs("Complet : liste d'attente", out);
		fputs("</span>\n</li>\n", out);
	}
	if (shown)
		fputs("</ul>\n", out);
	else
		fputs("<p class=\"notice\">Aucun Atelier n'est annoncé pour le moment.</p>\n", out);
	fputs("<p><a href=\"/tour.ics\">Le calendrier du tour (iCalendar)</a></p>\n</main>\n", out);
	json_decref(all);
	page_send(req, &p, 200, false);
}

static void tour_ics(struct web *w, struct evhttp_request *req)
{
	struct req r;
	req_init(&r, w, NULL);
	json_t *all = atelier_list_json(&r, NULL, NULL, NULL);
	json_t *public = json_array();
	size_t i;
	json_t *a;
	json_array_foreach(all, i, a) if (strcmp(get(a, "status"), "draft") != 0)
	    json_array_append(public, a);
	char *text =
	    all ? ical_calendar(&r, public, "Les Ateliers des Départements de France", false, NULL)
		: NULL;
	if (text)
		send_file(req, "text/calendar; charset=utf-8", text, "ateliers.ics");
	else
		send_unavailable(req, &r.err);
	free(text);
	json_decref(public);
	json_decref(all);
}

/* ---- An Atelier --------------------------------------------------------- */

/* What a visitor typed, kept to show the form again with the errors. */
struct form_values {
	const char *name, *email, *org, *category;
	bool consent;
};

static void registration_form(struct web *w, struct evhttp_request *req, FILE *out, json_t *atelier,
			      const struct form_values *v, const char *error)
{
	long long id = json_integer_value(json_object_get(atelier, "id"));
	long long left = seats_left(w, atelier);
	char csrf[TOKEN_LEN + 1];
	csrf_for_form(w, req, csrf);
	if (error) {
		fputs("<div class=\"error\" role=\"alert\" id=\"erreurs\">\n<p>L'inscription n'a "
		      "pas pu être enregistrée :</p>\n<p>",
		      out);
		html_write(out, error);
		fputs("</p>\n</div>\n", out);
	}
	if (left > 0)
		fprintf(out, "<p class=\"notice\">%lld place%s disponible%s.</p>\n", left,
			left > 1 ? "s" : "", left > 1 ? "s" : "");
	else
		fputs("<p class=\"notice\">L'Atelier est complet : votre inscription sera placée "
		      "sur la liste d'attente, et vous serez prévenu par e-mail si une place se "
		      "libère.</p>\n",
		      out);
	fprintf(out, "<form method=\"post\" action=\"/ateliers/%lld\">\n", id);
	fprintf(out, "<input type=\"hidden\" name=\"csrf\" value=\"%s\">\n", csrf);
	fputs("<p><label for=\"nom\">Prénom et nom</label>\n<input id=\"nom\" name=\"nom\" "
	      "required maxlength=\"200\" autocomplete=\"name\" value=\"",
	      out);
	html_write(out, v->name ? v->name : "");
	fputs("\"></p>\n<p><label for=\"courriel\">Adresse e-mail</label>\n<input id=\"courriel\" "
	      "name=\"courriel\" type=\"email\" required maxlength=\"254\" autocomplete=\"email\" "
	      "value=\"",
	      out);
	html_write(out, v->email ? v->email : "");
	fputs("\"></p>\n<p><label for=\"organisme\">Organisme (facultatif)</label>\n<input "
	      "id=\"organisme\" name=\"organisme\" maxlength=\"200\" "
	      "autocomplete=\"organization\" value=\"",
	      out);
	html_write(out, v->org ? v->org : "");
	fputs("\"></p>\n<p><label for=\"categorie\">Vous êtes</label>\n<select id=\"categorie\" "
	      "name=\"categorie\" required>\n<option value=\"\">— Choisir —</option>\n",
	      out);
	for (size_t i = 0; i < CATEGORY_COUNT; i++) {
		bool chosen = v->category && !strcmp(v->category, categories[i].value);
		fprintf(out, "<option value=\"%s\"%s>", categories[i].value,
			chosen ? " selected" : "");
		html_write(out, categories[i].label);
		fputs("</option>\n", out);
	}
	fputs("</select></p>\n<p class=\"consent\"><input type=\"checkbox\" id=\"consentement\" "
	      "name=\"consentement\" value=\"oui\" required",
	      out);
	fputs(v->consent ? " checked" : "", out);
	fputs("><label for=\"consentement\">J'accepte que mes nom, adresse e-mail, organisme et "
	      "catégorie soient utilisés par les organisateurs des Ateliers des Départements de "
	      "France pour gérer mon inscription et m'écrire au sujet de cet Atelier.",
	      out);
	int months = w->d->cfg.retention_months;
	if (months > 0)
		fprintf(out, " Ces données sont anonymisées %d mois après l'Atelier.", months);
	fputs(" Je peux annuler mon inscription à tout moment grâce au lien reçu par "
	      "e-mail.</label></p>\n<p><button type=\"submit\">S'inscrire</button></p>\n"
	      "</form>\n",
	      out);
}

static void atelier_page(struct web *w, struct evhttp_request *req, long long id,
			 const struct form_values *v, const char *error, int status)
{
	json_t *atelier = public_atelier(w, req, id);
	if (!atelier)
		return;
	struct req r;
	req_init(&r, w, NULL);
	char *programme = programme_render(&r, id, PROGRAMME_HTML_FRAGMENT);
	if (!programme) {
		json_decref(atelier);
		send_unavailable(req, &r.err);
		return;
	}
	struct page p;
	FILE *out = page_begin(&p, get(atelier, "title"));
	if (out) {
		fputs(programme, out);
		fputs("<section id=\"inscription\">\n<h2>Inscription</h2>\n", out);
		const char *closed = closed_reason(atelier);
		if (closed) {
			fputs("<p class=\"notice\">", out);
			html_write(out, closed);
			fputs("</p>\n", out);
		} else {
			struct form_values empty = {0};
			registration_form(w, req, out, atelier, v ? v : &empty, error);
		}
		fprintf(out,
			"<p><a href=\"/ateliers/%lld.ics\">Ajouter à mon agenda (iCalendar)</a> · "
			"<a href=\"/\">Tous les Ateliers</a></p>\n</section>\n",
			id);
	}
	free(programme);
	json_decref(atelier);
	page_send(req, &p, status, true);
}

static void atelier_ics(struct web *w, struct evhttp_request *req, long long id)
{
	json_t *atelier = public_atelier(w, req, id);
	if (!atelier)
		return;
	struct req r;
	req_init(&r, w, NULL);
	json_t *one = json_pack("[o]", atelier);
	char *text = ical_calendar(&r, one, "Les Ateliers des Départements de France", true, NULL);
	char filename[64];
	snprintf(filename, sizeof filename, "atelier-%lld.ics", id);
	if (text)
		send_file(req, "text/calendar; charset=utf-8", text, filename);
	else
		send_unavailable(req, &r.err);
	free(text);
	json_decref(one);
}

/* The site's writes: a transaction of their own (committing an open group
 * of the socket first), audited as uid -1, and mail planned after. */
static int web_write(struct web *w, struct req *r, const char *command,
		     int (*change)(struct req *r, void *arg), void *arg)
{
	struct db *db = w->d->db;
	if (db_begin(db, 1, &r->err) < 0)
		return -1;
	int rc = change(r, arg);
	if (rc == 0) {
		audit_add(db, AUDIT_UID_WEB, command, r->target, "ok");
		rc = db_commit(db, &r->err);
	} else {
		db_rollback(db);
		audit_add(db, AUDIT_UID_WEB, command, r->target, adf_code_name(r->err.code));
	}
	if (rc == 0)
		scheduler_kick(w->d);
	return rc;
}

struct registering {
	json_t *atelier;
	const struct form_values *v;
	long long id;
	const char *status;
};

static int do_register(struct req *r, void *arg)
{
	struct registering *g = arg;
	char now[21];
	db_now(now);
	snprintf(r->target, sizeof r->target, "atelier:%lld",
		 (long long)json_integer_value(json_object_get(g->atelier, "id")));
	if (registration_check_open(r, g->atelier) < 0 ||
	    registration_add(r, g->atelier, g->v->name, g->v->email,
			     g->v->org && *g->v->org ? g->v->org : NULL, g->v->category, "web",
			     false, &g->id, &g->status) < 0)
		return -1;
	snprintf(r->target, sizeof r->target, "registration:%lld", g->id);
	return db_exec(r->db, &r->err, "UPDATE registration SET consent_at = ? WHERE id = ?", "sI",
		       now, g->id) < 0
		   ? -1
		   : 0;
}

/* The form's fields against the register command's own rules, in French. */
static const char *check_form(const struct form_values *v, char *why, size_t n)
{
	const struct cmd_entry *cmd = cmd_find("register");
	const struct {
		const char *arg, *value, *label;
	} fields[] = {{"name", v->name, "Prénom et nom"},
		      {"email", v->email, "Adresse e-mail"},
		      {"org", v->org, "Organisme"}};
	for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
		if (!fields[i].value || !*fields[i].value) {
			if (strcmp(fields[i].arg, "org") == 0)
				continue;
			snprintf(why, n, "« %s » est à remplir.", fields[i].label);
			return why;
		}
		struct adf_error err;
		json_t *value = json_string(fields[i].value);
		int rc = value ? arg_validate(cmd_find_arg(cmd, fields[i].arg), value, &err) : -1;
		json_decref(value);
		if (rc < 0) {
			snprintf(why, n,
				 "« %s » est trop long ou contient des caractères non admis.",
				 fields[i].label);
			return why;
		}
	}
	if (!email_valid(v->email))
		return "Cette adresse e-mail n'est pas valide.";
	bool known = false;
	for (size_t i = 0; v->category && i < CATEGORY_COUNT; i++)
		known = known || !strcmp(v->category, categories[i].value);
	if (!known)
		return "Choisissez ce que vous êtes dans la liste « Vous êtes ».";
	if (!v->consent)
		return "Cochez la case d'accord sur l'usage de vos données pour vous inscrire.";
	return NULL;
}

/* "Inscription confirmée", or the waiting list and its position. */
static void registered_page(struct web *w, struct evhttp_request *req, json_t *atelier,
			    long long id, const char *status, const char *email)
{
	struct req r;
	req_init(&r, w, NULL);
	json_t *reg = registration_get(&r, id);
	long long position = json_integer_value(json_object_get(reg, "position"));
	json_decref(reg);
	bool waiting = !strcmp(status, "waitlisted");
	const char *title = waiting ? "Liste d'attente" : "Inscription confirmée";
	struct page p;
	FILE *out = page_begin(&p, title);
	if (out) {
		fprintf(out, "<main>\n<h1>%s</h1>\n<div class=\"done\" role=\"status\">\n<p>",
			title);
		if (waiting)
			fprintf(
			    out,
			    "L'Atelier est complet : vous êtes sur la liste d'attente, position "
			    "%lld. Vous recevrez un e-mail dès qu'une place se libère.",
			    position);
		else
			fputs("Votre inscription est confirmée.", out);
		fputs("</p>\n<p>", out);
		html_write(out, get(atelier, "title"));
		fputs(" — ", out);
		write_when_where(out, atelier);
		fputs("</p>\n<p>Un e-mail part vers ", out);
		html_write(out, email);
		fprintf(out,
			" ; il contient le lien pour annuler votre inscription.</p>\n</div>\n"
			"<p><a href=\"/ateliers/%lld.ics\">Ajouter à mon agenda</a> · <a "
			"href=\"/\">Tous les Ateliers</a></p>\n</main>\n",
			(long long)json_integer_value(json_object_get(atelier, "id")));
	}
	page_send(req, &p, 200, true);
}

static void register_post(struct web *w, struct evhttp_request *req, long long id)
{
	long wait = rate_wait(w, req);
	if (wait > 0) {
		char text[200], seconds[24];
		long minutes = (wait + 59) / 60;
		snprintf(
		    text, sizeof text,
		    "Trop d'inscriptions depuis votre connexion : réessayez dans %ld minute%s.",
		    minutes, minutes > 1 ? "s" : "");
		snprintf(seconds, sizeof seconds, "%ld", wait);
		evhttp_add_header(evhttp_request_get_output_headers(req), "Retry-After", seconds);
		send_message(req, 429, "Réessayez plus tard", text, NULL);
		return;
	}
	struct evkeyvalq form;
	if (!read_form(req, &form))
		return;
	char back[64];
	snprintf(back, sizeof back, "/ateliers/%lld", id);
	if (!csrf_valid(req, &form)) {
		evhttp_clear_headers(&form);
		send_message(
		    req, 403, "Formulaire expiré",
		    "Ce formulaire a expiré ou vient d'un autre site. Rechargez la page de "
		    "l'Atelier et envoyez-le à nouveau.",
		    back);
		return;
	}
	const char *consent = evhttp_find_header(&form, "consentement");
	struct form_values v = {.name = evhttp_find_header(&form, "nom"),
				.email = evhttp_find_header(&form, "courriel"),
				.org = evhttp_find_header(&form, "organisme"),
				.category = evhttp_find_header(&form, "categorie"),
				.consent = consent && !strcmp(consent, "oui")};
	json_t *atelier = public_atelier(w, req, id);
	if (!atelier) {
		evhttp_clear_headers(&form);
		return;
	}
	const char *closed = closed_reason(atelier);
	char why[200];
	const char *bad = closed ? NULL : check_form(&v, why, sizeof why);
	if (closed) {
		send_message(req, 409, "Inscriptions fermées", closed, back);
	} else if (bad) {
		atelier_page(w, req, id, &v, bad, 400);
	} else {
		struct req r;
		req_init(&r, w, json_object());
		struct registering g = {.atelier = atelier, .v = &v};
		if (web_write(w, &r, "web.register", do_register, &g) < 0) {
			if (r.err.code == ADF_E_CONFLICT &&
			    strstr(r.err.message, "already registered"))
				send_message(
				    req, 409, "Déjà inscrit",
				    "Cette adresse e-mail est déjà inscrite à cet Atelier. "
				    "L'e-mail de confirmation contient le lien pour "
				    "annuler.",
				    back);
			else if (r.err.code == ADF_E_CONFLICT || r.err.code == ADF_E_FULL)
				send_message(req, 409, "Inscriptions fermées",
					     "Cet Atelier ne prend plus d'inscriptions.", back);
			else
				send_unavailable(req, &r.err);
		} else {
			rate_count(w, req);
			log_info("web: registration %lld to Atelier %lld: %s", g.id, id, g.status);
			registered_page(w, req, atelier, g.id, g.status, v.email);
		}
		json_decref(r.args);
	}
	json_decref(atelier);
	evhttp_clear_headers(&form);
}

/* ---- One's own registration --------------------------------------------- */

/* The registration whose cancel token this is, or 0; -1 on error. The
 * database finds it by its first characters, and the whole is compared
 * here in constant time: how long a guess takes says nothing of how much
 * of it was right. */
static long long registration_by_token(struct web *w, const char *token, struct adf_error *err)
{
	char selector[SELECTOR_LEN + 1];
	memcpy(selector, token, SELECTOR_LEN);
	selector[SELECTOR_LEN] = '\0';
	/* a range of the token's own unique index: its comparisons see the
	 * selector only (hex digits sort before 'g') */
	char after[SELECTOR_LEN + 2];
	snprintf(after, sizeof after, "%sg", selector);
	sqlite3_stmt *st = db_query(w->d->db, err,
				    "SELECT id, token FROM registration"
				    " WHERE token > ? AND token < ? AND anonymised_at IS NULL",
				    "ss", selector, after);
	if (!st)
		return -1;
	long long found = 0;
	int rc;
	while ((rc = db_step(w->d->db, st, err)) == 1) {
		const char *t = (const char *)sqlite3_column_text(st, 1);
		if (t && strlen(t) == TOKEN_LEN && secret_equal(t, token))
			found = sqlite3_column_int64(st, 0);
	}
	return rc < 0 ? -1 : found;
}

/* The registration and its Atelier for a token, or false having answered. */
static bool own_registration(struct web *w, struct evhttp_request *req, const char *token,
			     json_t **reg, json_t **atelier)
{
	struct req r;
	req_init(&r, w, NULL);
	long long id = registration_by_token(w, token, &r.err);
	*reg = id > 0 ? registration_get(&r, id) : NULL;
	*atelier =
	    *reg ? atelier_get(&r, json_integer_value(json_object_get(*reg, "atelier"))) : NULL;
	if (*atelier)
		return true;
	json_decref(*reg);
	if (id < 0 || (id > 0 && r.err.code != ADF_E_NOT_FOUND))
		send_unavailable(req, &r.err);
	else
		send_message(req, 404, "Lien inconnu",
			     "Ce lien d'annulation ne correspond à aucune inscription. Vérifiez "
			     "qu'il est complet, tel qu'il figure dans votre e-mail.",
			     "/");
	return false;
}

/* Why a registration cannot be cancelled any more, or NULL. */
static const char *not_cancellable(json_t *reg, json_t *atelier)
{
	char today[11];
	paris_today(today);
	const char *status = get(reg, "status");
	if (!strcmp(status, "cancelled"))
		return "Cette inscription est déjà annulée.";
	if (!strcmp(status, "attended"))
		return "Votre présence à cet Atelier est enregistrée : l'inscription ne peut plus "
		       "être annulée.";
	if (strcmp(get(atelier, "date"), today) < 0 || !strcmp(get(atelier, "status"), "held"))
		return "Cet Atelier a eu lieu : l'inscription ne peut plus être annulée.";
	return NULL;
}

static void cancel_page(struct web *w, struct evhttp_request *req, const char *token)
{
	json_t *reg, *atelier;
	if (!own_registration(w, req, token, &reg, &atelier))
		return;
	struct page p;
	FILE *out = page_begin(&p, "Votre inscription");
	if (out) {
		fputs("<main>\n<h1>Votre inscription</h1>\n<p><strong>", out);
		html_write(out, get(reg, "name"));
		fputs("</strong></p>\n<p>", out);
		html_write(out, get(atelier, "title"));
		fputs("<br>\n", out);
		write_when_where(out, atelier);
		fputs("</p>\n<p class=\"notice\">", out);
		const char *status = get(reg, "status");
		if (!strcmp(status, "confirmed"))
			fputs("Inscription confirmée.", out);
		else if (!strcmp(status, "waitlisted"))
			fprintf(out, "Sur la liste d'attente, position %lld.",
				(long long)json_integer_value(json_object_get(reg, "position")));
		else if (!strcmp(status, "attended"))
			fputs("Présence enregistrée.", out);
		else
			fputs("Inscription annulée.", out);
		fputs("</p>\n", out);
		const char *why = not_cancellable(reg, atelier);
		if (!why) {
			char csrf[TOKEN_LEN + 1];
			csrf_for_form(w, req, csrf);
			fprintf(out,
				"<form method=\"post\" action=\"/annulation/%s\">\n"
				"<input type=\"hidden\" name=\"csrf\" value=\"%s\">\n"
				"<p><button type=\"submit\" class=\"danger\">Annuler mon "
				"inscription</button></p>\n</form>\n",
				token, csrf);
		} else if (strcmp(status, "cancelled") != 0) {
			fputs("<p>", out);
			html_write(out, why);
			fputs("</p>\n", out);
		}
		fputs("</main>\n", out);
	}
	json_decref(reg);
	json_decref(atelier);
	page_send(req, &p, 200, true);
}

static int do_cancel(struct req *r, void *arg)
{
	(void)arg;
	return h_registration_cancel(r);
}

static void cancel_post(struct web *w, struct evhttp_request *req, const char *token)
{
	struct evkeyvalq form;
	if (!read_form(req, &form))
		return;
	/* RFC 8058: a mail client's one-click POST carries no cookie; the
	 * secret link is the proof, as it is for the page itself */
	const char *one_click = evhttp_find_header(&form, "List-Unsubscribe");
	bool allowed = (one_click && !strcmp(one_click, "One-Click")) || csrf_valid(req, &form);
	evhttp_clear_headers(&form);
	char back[100];
	snprintf(back, sizeof back, "/annulation/%s", token);
	if (!allowed) {
		send_message(
		    req, 403, "Formulaire expiré",
		    "Ce formulaire a expiré ou vient d'un autre site. Rechargez la page et "
		    "envoyez-le à nouveau.",
		    back);
		return;
	}
	json_t *reg, *atelier;
	if (!own_registration(w, req, token, &reg, &atelier))
		return;
	const char *why = not_cancellable(reg, atelier);
	if (why) {
		send_message(req, 409, "Annulation impossible", why, back);
	} else {
		struct req r;
		req_init(&r, w,
			 json_pack("{s:O,s:s}", "id", json_object_get(reg, "id"), "reason",
				   "annulée par la personne inscrite"));
		if (web_write(w, &r, "web.cancel", do_cancel, NULL) < 0) {
			send_unavailable(req, &r.err);
		} else {
			log_info("web: registration %lld cancelled",
				 (long long)json_integer_value(json_object_get(reg, "id")));
			char text[600];
			snprintf(text, sizeof text,
				 "Votre inscription à l'Atelier « %s » du %s est annulée. Merci "
				 "de nous avoir prévenus : votre place revient à la première "
				 "personne de la liste d'attente.",
				 get(atelier, "title"), get(atelier, "when_fr"));
			send_message(req, 200, "Inscription annulée", text, "/");
		}
		json_decref(r.data);
		json_decref(r.args);
	}
	json_decref(reg);
	json_decref(atelier);
}

/* ---- Routing ------------------------------------------------------------ */

/* "/ateliers/ID" or "/ateliers/ID.ics". */
static bool atelier_path(const char *path, long long *id, bool *ics)
{
	const char *p = path + strlen("/ateliers/");
	if (strncmp(path, "/ateliers/", strlen("/ateliers/")) != 0 || *p < '1' || *p > '9')
		return false;
	long long v = 0;
	for (int digits = 0; *p >= '0' && *p <= '9'; p++, digits++) {
		if (digits >= 15)
			return false;
		v = v * 10 + (*p - '0');
	}
	*ics = !strcmp(p, ".ics");
	*id = v;
	return *ics || *p == '\0';
}

static void on_request(struct evhttp_request *req, void *arg)
{
	struct web *w = arg;
	enum evhttp_cmd_type method = evhttp_request_get_command(req);
	const char *path = evhttp_uri_get_path(evhttp_request_get_evhttp_uri(req));
	bool post = method == EVHTTP_REQ_POST;
	long long id;
	bool ics;
	if (!path || !*path)
		path = "/";
	if (atelier_path(path, &id, &ics) && !ics) {
		if (post)
			register_post(w, req, id);
		else
			atelier_page(w, req, id, NULL, NULL, 200);
		return;
	}
	if (!strncmp(path, "/annulation/", strlen("/annulation/")) &&
	    is_token(path + strlen("/annulation/"), TOKEN_LEN)) {
		if (post)
			cancel_post(w, req, path + strlen("/annulation/"));
		else
			cancel_page(w, req, path + strlen("/annulation/"));
		return;
	}
	bool known = !strcmp(path, "/") || !strcmp(path, "/style.css") ||
		     !strcmp(path, "/favicon.ico") || !strcmp(path, "/tour.ics") ||
		     atelier_path(path, &id, &ics);
	if (known && post) {
		evhttp_add_header(evhttp_request_get_output_headers(req), "Allow", "GET, HEAD");
		send_message(req, 405, "Action impossible",
			     "Cette page ne reçoit pas de formulaire.", "/");
	} else if (!strcmp(path, "/")) {
		tour_page(w, req);
	} else if (!strcmp(path, "/style.css")) {
		char css[sizeof site_css + 1024];
		snprintf(css, sizeof css, "%s%s", programme_css, site_css);
		send_file(req, "text/css; charset=utf-8", css, NULL);
	} else if (!strcmp(path, "/tour.ics")) {
		tour_ics(w, req);
	} else if (!strcmp(path, "/favicon.ico")) {
		/* browsers ask for it: no icon, and no error in their console */
		common_headers(req, "image/x-icon", false);
		evhttp_send_reply(req, 204, "No Content", NULL);
	} else if (known) {
		atelier_ics(w, req, id);
	} else {
		send_message(req, 404, "Page introuvable", "Cette page n'existe pas.", "/");
	}
}

/* Out of file descriptors, libevent would retry accept() at once, again
 * and again: pause a second instead, as the control socket does. */
static struct web *site; /* libevent hands the error callback evhttp's pointer */

static void on_accept_error(struct evconnlistener *l, void *arg)
{
	(void)arg;
	struct web *w = site;
	int e = EVUTIL_SOCKET_ERROR();
	log_warning("http: accept: %s: pausing for 1 s", evutil_socket_error_to_string(e));
	evconnlistener_disable(l);
	struct timeval tv = {1, 0};
	event_add(w->accept_retry, &tv);
}

static void on_accept_retry(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	struct web *w = arg;
	evconnlistener_enable(w->listener);
}

int web_start(struct adfd *d, struct adf_error *err)
{
	const struct settings *cfg = &d->cfg;
	if (!cfg->http_port)
		return 0;
	struct web *w = calloc(1, sizeof *w);
	if (!w)
		return adf_fail(err, ADF_E_INTERNAL, "out of memory");
	w->d = d;
	w->http = evhttp_new(d->base);
	if (!w->http) {
		free(w);
		return adf_fail(err, ADF_E_INTERNAL, "cannot create the HTTP server");
	}
	evhttp_set_allowed_methods(w->http, EVHTTP_REQ_GET | EVHTTP_REQ_HEAD | EVHTTP_REQ_POST);
	evhttp_set_max_body_size(w->http, (ev_ssize_t)cfg->http_max_body);
	evhttp_set_max_headers_size(w->http, (ev_ssize_t)cfg->http_max_headers);
	evhttp_set_timeout(w->http, cfg->http_timeout);
	evhttp_set_gencb(w->http, on_request, w);
	struct evhttp_bound_socket *bound =
	    evhttp_bind_socket_with_handle(w->http, cfg->http_address, (ev_uint16_t)cfg->http_port);
	w->accept_retry = evtimer_new(d->base, on_accept_retry, w);
	if (!bound || !w->accept_retry) {
		if (w->accept_retry)
			event_free(w->accept_retry);
		evhttp_free(w->http);
		free(w);
		return adf_fail(err, ADF_E_UNAVAILABLE, "http: cannot listen on %s port %d",
				cfg->http_address, cfg->http_port);
	}
	site = w;
	w->listener = evhttp_bound_socket_get_listener(bound);
	evconnlistener_set_error_cb(w->listener, on_accept_error);
	d->web = w;
	log_info("http: public site on %s port %d, %s", cfg->http_address, cfg->http_port,
		 cfg->http_base_url);
	return 0;
}

void web_stop(struct adfd *d)
{
	if (!d->web)
		return;
	evhttp_free(d->web->http);
	event_free(d->web->accept_retry);
	free(d->web);
	site = NULL;
	d->web = NULL;
}
