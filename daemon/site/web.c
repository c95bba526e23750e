/* The public site (doc/design.md §11). Pages are French, work without
 * JavaScript and on a phone. What a visitor can change is their own
 * registration: registering, and cancelling through the secret link of
 * their mails. Everything else goes through the control socket. */
#include "config.h"

#include <event2/event.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <event2/listener.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/queue.h>
#include <sys/resource.h>

#include "adfd.h"
#include "atelier.h"
#include "audit.h"
#include "cmdtable.h"
#include "db.h"
#include "guard.h"
#include "ical.h"
#include "info.h"
#include "listen.h"
#include "log.h"
#include "page.h"
#include "paris.h"
#include "programme.h"
#include "registration.h"
#include "site.h"
#include "siteconn.h"
#include "text.h"
#include "web.h"
#include "work.h"

static const struct {
	const char *value, *label;
} categories[] = {
    {"elu", "Élue, élu"}, {"agent", "Agent d'une collectivité"}, {"partenaire", "Partenaire"},
    {"presse", "Presse"}, {"entreprise", "Entreprise"},		 {"public", "Public"},
};
#define CATEGORY_COUNT (sizeof categories / sizeof categories[0])

/* Announced at some time: scheduled, held, or cancelled after that. A
 * draft never was; an Atelier lacking what a page shows (a draft cancelled
 * by an older adfd) is kept out too. */
static bool announced(json_t *atelier)
{
	return strcmp(json_str(atelier, "status"), "draft") != 0 && json_str(atelier, "title") &&
	       json_str(atelier, "city") && json_str(atelier, "departement_name") &&
	       json_str(atelier, "venue");
}

/* A public Atelier (announced), or NULL having answered 404. */
static json_t *public_atelier(struct web *w, struct evhttp_request *req, long long id)
{
	struct work job;
	work_init(&job, w->d);
	json_t *atelier = atelier_get(&job, id);
	if (atelier && announced(atelier))
		return atelier;
	json_decref(atelier);
	if (job.err.code != ADF_E_NOT_FOUND && job.err.code != ADF_OK)
		page_unavailable(req, &job.err);
	else
		page_message(req, 404, "Atelier introuvable",
			     "Cet Atelier n'existe pas ou n'est pas encore annoncé.", "/");
	return NULL;
}

static long long seats_left(struct web *w, json_t *atelier)
{
	struct work job;
	work_init(&job, w->d);
	long long taken =
	    registration_seats_taken(&job, json_integer_value(json_object_get(atelier, "id")));
	long long left = json_integer_value(json_object_get(atelier, "capacity")) - taken;
	return taken < 0 || left < 0 ? 0 : left;
}

/* ---- The tour ----------------------------------------------------------- */

static void tour_page(struct web *w, struct evhttp_request *req)
{
	struct work job;
	work_init(&job, w->d);
	json_t *all = atelier_list_json(&job, NULL, NULL, NULL);
	if (!all) {
		page_unavailable(req, &job.err);
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
		const char *status = json_str(a, "status");
		if (strcmp(json_str(a, "date"), today) < 0 || !announced(a) ||
		    (strcmp(status, "scheduled") && strcmp(status, "cancelled")))
			continue;
		if (shown++ == 0)
			fputs("<ul class=\"tour\">\n", out);
		long long id = json_integer_value(json_object_get(a, "id"));
		fprintf(out, "<li>\n<a href=\"/ateliers/%lld\"><strong>", id);
		html_write(out, json_str(a, "when_fr"));
		fputs("</strong></a><br>\n", out);
		html_write(out, json_str(a, "departement_name"));
		fputs(" — ", out);
		html_write(out, json_str(a, "city"));
		fputs("<br>\n<em>", out);
		html_write(out, json_str(a, "title"));
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
	struct work job;
	work_init(&job, w->d);
	json_t *all = atelier_list_json(&job, NULL, NULL, NULL);
	json_t *public = json_array();
	size_t i;
	json_t *a;
	json_array_foreach(all, i, a) if (announced(a)) json_array_append(public, a);
	char *text = all ? ical_calendar(&job, public, "Les Ateliers des Départements de France",
					 false, NULL)
			 : NULL;
	if (text)
		page_file(req, "text/calendar; charset=utf-8", text, "ateliers.ics");
	else
		page_unavailable(req, &job.err);
	free(text);
	json_decref(public);
	json_decref(all);
}

/* ---- An Atelier --------------------------------------------------------- */

/* What a visitor typed, kept to show the form again with the errors. */
struct form_values {
	const char *civility, *first, *name, *email, *org, *category;
	bool news; /* optional: to hear of the next Ateliers */
};

/* Every error of a refused form at once, each tied to its field. */
#define FORM_FIELDS 6
struct form_errors {
	int n;
	struct {
		const char *field; /* the input's id */
		char text[200];
	} each[FORM_FIELDS];
};

static const char *field_error(const struct form_errors *e, const char *field)
{
	for (int i = 0; e && i < e->n; i++)
		if (!strcmp(e->each[i].field, field))
			return e->each[i].text;
	return NULL;
}

/* aria-invalid and the error's id on an invalid field, its text after it */
static void field_state(FILE *out, const struct form_errors *e, const char *field)
{
	if (field_error(e, field))
		fprintf(out, " aria-invalid=\"true\" aria-describedby=\"%s-erreur\"", field);
}

static void field_message(FILE *out, const struct form_errors *e, const char *field)
{
	const char *text = field_error(e, field);
	if (!text)
		return;
	fprintf(out, "\n<span class=\"field-error\" id=\"%s-erreur\">", field);
	html_write(out, text);
	fputs("</span>", out);
}

static void text_field(FILE *out, const struct form_errors *e, const char *id, const char *label,
		       const char *attributes, const char *value)
{
	fprintf(out, "<p><label for=\"%s\">", id);
	html_write(out, label);
	fprintf(out, "</label>\n<input id=\"%s\" name=\"%s\" %s", id, id, attributes);
	field_state(out, e, id);
	fputs(" value=\"", out);
	html_write(out, value ? value : "");
	fputs("\">", out);
	field_message(out, e, id);
	fputs("</p>\n", out);
}

static void registration_form(struct web *w, struct evhttp_request *req, FILE *out, json_t *atelier,
			      const struct form_values *v, const struct form_errors *errors)
{
	long long id = json_integer_value(json_object_get(atelier, "id"));
	long long left = seats_left(w, atelier);
	char csrf[GUARD_TOKEN_LEN + 1];
	guard_csrf_for_form(&w->d->cfg, req, csrf);
	if (errors && errors->n) {
		/* announced first, focused, each error a link to its field */
		fprintf(
		    out,
		    "<div class=\"error\" role=\"alert\" id=\"erreurs\" tabindex=\"-1\" "
		    "autofocus>\n<h3>L'inscription n'a pas pu être enregistrée : %d erreur%s</h3>"
		    "\n<ul>\n",
		    errors->n, errors->n > 1 ? "s" : "");
		for (int i = 0; i < errors->n; i++) {
			fprintf(out, "<li><a href=\"#%s\">", errors->each[i].field);
			html_write(out, errors->each[i].text);
			fputs("</a></li>\n", out);
		}
		fputs("</ul>\n</div>\n", out);
	}
	if (left > 0)
		fprintf(out, "<p class=\"notice\">%lld place%s disponible%s.</p>\n", left,
			left > 1 ? "s" : "", left > 1 ? "s" : "");
	else
		fputs("<p class=\"notice\">L'Atelier est complet : votre inscription sera placée "
		      "sur la liste d'attente, et vous serez prévenu par e-mail si une place se "
		      "libère.</p>\n",
		      out);
	fprintf(out, "<form method=\"post\" action=\"/ateliers/%lld#erreurs\" novalidate>\n", id);
	fprintf(out, "<input type=\"hidden\" name=\"csrf\" value=\"%s\">\n", csrf);
	fputs("<p class=\"small\">Les champs marqués (obligatoire) sont à remplir.</p>\n", out);
	/* as a French sheet lists people: civility, first name, surname apart */
	fputs("<p><label for=\"civilite\">Civilité (facultatif)</label>\n<select "
	      "id=\"civilite\" name=\"civilite\" autocomplete=\"honorific-prefix\"",
	      out);
	field_state(out, errors, "civilite");
	fputs(">\n", out);
	static const char *const civilities[][2] = {
	    {"", "—"}, {"Mme", "Madame"}, {"M.", "Monsieur"}};
	for (size_t i = 0; i < 3; i++)
		fprintf(out, "<option value=\"%s\"%s>%s</option>\n", civilities[i][0],
			v->civility && !strcmp(v->civility, civilities[i][0]) ? " selected" : "",
			civilities[i][1]);
	fputs("</select>", out);
	field_message(out, errors, "civilite");
	fputs("</p>\n", out);
	text_field(out, errors, "prenom", "Prénom (obligatoire)",
		   "required maxlength=\"100\" autocomplete=\"given-name\"", v->first);
	text_field(out, errors, "nom", "Nom (obligatoire)",
		   "required maxlength=\"100\" autocomplete=\"family-name\"", v->name);
	text_field(out, errors, "courriel", "Adresse e-mail (obligatoire)",
		   "type=\"email\" required maxlength=\"254\" autocomplete=\"email\"", v->email);
	text_field(out, errors, "organisme", "Organisme (facultatif)",
		   "maxlength=\"200\" autocomplete=\"organization\"", v->org);
	fputs("<p><label for=\"categorie\">Vous êtes (obligatoire)</label>\n<select "
	      "id=\"categorie\" name=\"categorie\" required",
	      out);
	field_state(out, errors, "categorie");
	fputs(">\n<option value=\"\">— Choisir —</option>\n", out);
	for (size_t i = 0; i < CATEGORY_COUNT; i++) {
		bool chosen = v->category && !strcmp(v->category, categories[i].value);
		fprintf(out, "<option value=\"%s\"%s>", categories[i].value,
			chosen ? " selected" : "");
		html_write(out, categories[i].label);
		fputs("</option>\n", out);
	}
	fputs("</select>", out);
	field_message(out, errors, "categorie");
	fputs("</p>\n", out);
	/* registering rests on the service asked for: a notice, no consent;
	 * consent is for what is optional, unticked by default */
	fputs("<p class=\"consent\"><input type=\"checkbox\" id=\"informe\" "
	      "name=\"informe\" value=\"oui\"",
	      out);
	fputs(v->news ? " checked" : "", out);
	fputs("><label for=\"informe\">Me tenir informé(e) par e-mail des prochains Ateliers "
	      "(facultatif ; vous pourrez le retirer à tout moment).</label></p>\n"
	      "<p class=\"small\">Vos nom, adresse e-mail, organisme et catégorie servent aux "
	      "organisateurs à gérer votre inscription et à vous écrire au sujet de cet Atelier.",
	      out);
	int months = w->d->cfg.retention_months;
	if (months > 0)
		fprintf(out, " Ils sont anonymisés %d mois après l'Atelier.", months);
	fputs(" <a href=\"/donnees-personnelles\">Vos données et vos droits</a>.</p>\n"
	      "<p><button type=\"submit\">S'inscrire</button></p>\n</form>\n",
	      out);
}

static void atelier_page(struct web *w, struct evhttp_request *req, long long id,
			 const struct form_values *v, const struct form_errors *errors, int status)
{
	json_t *atelier = public_atelier(w, req, id);
	if (!atelier)
		return;
	struct work job;
	work_init(&job, w->d);
	char *programme = programme_render(&job, id, PROGRAMME_HTML_FRAGMENT);
	if (!programme) {
		json_decref(atelier);
		page_unavailable(req, &job.err);
		return;
	}
	/* a refused form says so first, in the title a screen reader reads */
	char title[300];
	snprintf(title, sizeof title, "%s%s", errors && errors->n ? "Erreur : " : "",
		 json_str(atelier, "title"));
	struct page p;
	FILE *out = page_begin(&p, title);
	if (out) {
		fputs(programme, out);
		/* once it took place, what it left */
		const char *replay = json_str(atelier, "replay_url"),
			   *slides = json_str(atelier, "slides_url");
		if (registration_atelier_over(atelier) && (replay || slides)) {
			fputs("<section id=\"apres\" aria-labelledby=\"apres-titre\">\n<h2 "
			      "id=\"apres-titre\">Après l'Atelier</h2>\n<ul>\n",
			      out);
			if (replay) {
				fputs("<li><a href=\"", out);
				html_write(out, replay);
				fputs("\">Revoir l'Atelier</a></li>\n", out);
			}
			if (slides) {
				fputs("<li><a href=\"", out);
				html_write(out, slides);
				fputs("\">Les supports des intervenants</a></li>\n", out);
			}
			fputs("</ul>\n</section>\n", out);
		}
		fputs("<section id=\"inscription\" aria-labelledby=\"inscription-titre\">\n<h2 "
		      "id=\"inscription-titre\">Inscription</h2>\n",
		      out);
		enum registration_reason closed = registration_closed(atelier);
		if (closed) {
			fputs("<p class=\"notice\">", out);
			html_write(out, reason_fr(closed));
			fputs("</p>\n", out);
		} else {
			struct form_values empty = {0};
			registration_form(w, req, out, atelier, v ? v : &empty, errors);
		}
		/* a day to put in one's diary only while it is ahead */
		if (!registration_atelier_over(atelier))
			fprintf(out,
				"<p><a href=\"/ateliers/%lld.ics\">Ajouter à mon agenda "
				"(iCalendar)</a> · ",
				id);
		else
			fputs("<p>", out);
		fputs("<a href=\"/\">Tous les Ateliers</a></p>\n</section>\n", out);
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
	struct work job;
	work_init(&job, w->d);
	json_t *one = json_pack("[o]", atelier);
	char *text =
	    ical_calendar(&job, one, "Les Ateliers des Départements de France", true, NULL);
	char filename[64];
	snprintf(filename, sizeof filename, "atelier-%lld.ics", id);
	if (text)
		page_file(req, "text/calendar; charset=utf-8", text, filename);
	else
		page_unavailable(req, &job.err);
	free(text);
	json_decref(one);
}

static void add_error(struct form_errors *e, const char *field, const char *fmt, const char *label)
{
	if (e->n >= FORM_FIELDS || field_error(e, field))
		return;
	e->each[e->n].field = field;
	snprintf(e->each[e->n].text, sizeof e->each[e->n].text, fmt, label);
	e->n++;
}

/* The form's fields against the register command's own rules, in French:
 * every error at once. Returns how many. */
static int check_form(const struct form_values *v, struct form_errors *e)
{
	const struct cmd_entry *cmd = cmd_find("register");
	const struct {
		const char *arg, *field, *value, *label;
	} fields[] = {{"first", "prenom", v->first, "Prénom"},
		      {"last", "nom", v->name, "Nom"},
		      {"email", "courriel", v->email, "Adresse e-mail"},
		      {"org", "organisme", v->org, "Organisme"}};
	e->n = 0;
	for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
		/* only spaces: nothing typed */
		if (!fields[i].value || !fields[i].value[strspn(fields[i].value, " \t")]) {
			if (strcmp(fields[i].arg, "org") != 0)
				add_error(e, fields[i].field, "« %s » est à remplir.",
					  fields[i].label);
			continue;
		}
		struct adf_error err;
		json_t *value = json_string(fields[i].value);
		int rc = value ? arg_validate(cmd_find_arg(cmd, fields[i].arg), value, &err) : -1;
		json_decref(value);
		if (rc < 0)
			add_error(e, fields[i].field,
				  "« %s » est trop long ou contient des caractères non admis.",
				  fields[i].label);
	}
	if (v->email && *v->email && !email_valid(v->email))
		add_error(e, "courriel", "%s",
			  text_is_ascii(v->email)
			      ? "Cette adresse e-mail n'est pas valide."
			      : "Cette adresse e-mail contient des lettres accentuées ou des "
				"caractères spéciaux : elle ne pourrait pas recevoir nos messages. "
				"Écrivez-la sans accents.");
	if (v->civility && *v->civility && strcmp(v->civility, "M.") && strcmp(v->civility, "Mme"))
		add_error(e, "civilite", "%s", "Choisissez Madame, Monsieur, ou rien.");
	bool known = false;
	for (size_t i = 0; v->category && i < CATEGORY_COUNT; i++)
		known = known || !strcmp(v->category, categories[i].value);
	if (!known)
		add_error(e, "categorie", "%s",
			  "Choisissez ce que vous êtes dans la liste « Vous êtes ».");
	return e->n;
}

/* "Inscription confirmée", or the waiting list. The page is the same for
 * an address registered already (whose owner gets a mail instead): it
 * tells nothing a stranger could learn about someone, not even a position
 * (the mail gives it). */
static void registered_page(struct evhttp_request *req, json_t *atelier, bool waiting,
			    const char *email)
{
	const char *title = waiting ? "Liste d'attente" : "Inscription confirmée";
	struct page p;
	FILE *out = page_begin(&p, title);
	if (out) {
		fprintf(out, "<main>\n<h1>%s</h1>\n<div class=\"done\" role=\"status\">\n<p>",
			title);
		if (waiting)
			fputs("L'Atelier est complet : votre demande est sur la liste d'attente. "
			      "L'e-mail que vous allez recevoir donne votre position, et un autre "
			      "vous préviendra dès qu'une place se libère.",
			      out);
		else
			fputs("Votre inscription est confirmée.", out);
		fputs("</p>\n<p>", out);
		html_write(out, json_str(atelier, "title"));
		fputs(" — ", out);
		write_when_where(out, atelier);
		fputs("</p>\n<p>Un e-mail part vers ", out);
		html_write(out, email);
		fputs(" ; il contient le lien pour annuler votre inscription.</p>\n</div>\n<p>",
		      out);
		/* a seat to put in one's diary; a place on the waiting list is none */
		if (!waiting)
			fprintf(out, "<a href=\"/ateliers/%lld.ics\">Ajouter à mon agenda</a> · ",
				(long long)json_integer_value(json_object_get(atelier, "id")));
		fputs("<a href=\"/\">Tous les Ateliers</a></p>\n</main>\n", out);
	}
	page_send(req, &p, 200, true);
}

static void register_post(struct web *w, struct evhttp_request *req, long long id)
{
	long wait = guard_rate_wait(&w->guard, &w->d->cfg, req);
	if (wait > 0) {
		char text[200], seconds[24];
		long minutes = (wait + 59) / 60;
		snprintf(
		    text, sizeof text,
		    "Trop d'inscriptions depuis votre connexion : réessayez dans %ld minute%s.",
		    minutes, minutes > 1 ? "s" : "");
		snprintf(seconds, sizeof seconds, "%ld", wait);
		evhttp_add_header(evhttp_request_get_output_headers(req), "Retry-After", seconds);
		page_message(req, 429, "Réessayez plus tard", text, NULL);
		return;
	}
	struct evkeyvalq form;
	if (!guard_read_form(req, &form))
		return;
	char back[64];
	snprintf(back, sizeof back, "/ateliers/%lld", id);
	if (!guard_csrf_valid(req, &form)) {
		evhttp_clear_headers(&form);
		page_message(
		    req, 403, "Formulaire expiré",
		    "Ce formulaire a expiré ou vient d'un autre site. Rechargez la page de "
		    "l'Atelier et envoyez-le à nouveau.",
		    back);
		return;
	}
	const char *news = evhttp_find_header(&form, "informe");
	struct form_values v = {.civility = evhttp_find_header(&form, "civilite"),
				.first = evhttp_find_header(&form, "prenom"),
				.name = evhttp_find_header(&form, "nom"),
				.email = evhttp_find_header(&form, "courriel"),
				.org = evhttp_find_header(&form, "organisme"),
				.category = evhttp_find_header(&form, "categorie"),
				.news = news && !strcmp(news, "oui")};
	json_t *atelier = public_atelier(w, req, id);
	if (!atelier) {
		evhttp_clear_headers(&form);
		return;
	}
	/* every attempt counts, refused or not: probing addresses costs too */
	guard_rate_count(&w->guard, &w->d->cfg, req);
	enum registration_reason closed = registration_closed(atelier);
	struct form_errors errors;
	int bad = closed ? 0 : check_form(&v, &errors);
	if (closed) {
		page_message(req, 409, "Inscriptions fermées", reason_fr(closed), back);
	} else if (bad) {
		atelier_page(w, req, id, &v, &errors, 400);
	} else {
		struct work job;
		struct registration_form f = {.civility =
						  v.civility && *v.civility ? v.civility : NULL,
					      .first = v.first,
					      .last = v.name,
					      .email = v.email,
					      .org = v.org,
					      .category = v.category,
					      .source = "web",
					      .news = v.news,
					      .again_told = true};
		json_t *reg = NULL;
		if (web_begin(w, &job) == 0) {
			/* a refusal is audited against the Atelier */
			snprintf(job.target, sizeof job.target, "atelier:%lld", id);
			reg = registration_register(&job, id, &f);
		}
		if (web_end(&job, reg != NULL, "web.register") < 0) {
			if (job.err.code == ADF_E_CONFLICT || job.err.code == ADF_E_FULL)
				page_message(req, 409, "Inscriptions fermées",
					     reason_fr((enum registration_reason)job.reason), back);
			else
				page_unavailable(req, &job.err);
		} else {
			/* registered again: the page a new registration would get now */
			bool again = json_is_true(json_object_get(reg, "again"));
			const char *status = json_str(reg, "status");
			bool waiting =
			    again ? seats_left(w, atelier) == 0 : !strcmp(status, "waitlisted");
			log_info("web: registration %lld to Atelier %lld: %s",
				 (long long)json_integer_value(json_object_get(reg, "id")), id,
				 again ? "registered already, owner told" : status);
			registered_page(req, atelier, waiting, v.email);
		}
		json_decref(reg);
	}
	json_decref(atelier);
	evhttp_clear_headers(&form);
}

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
	siteconns_request_done(w->conns, req);
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
	    guard_is_token(path + strlen("/annulation/"), GUARD_TOKEN_LEN)) {
		if (post)
			cancel_post(w, req, path + strlen("/annulation/"));
		else
			cancel_page(w, req, path + strlen("/annulation/"));
		return;
	}
	if (!strncmp(path, "/avis/", strlen("/avis/")) &&
	    guard_is_token(path + strlen("/avis/"), GUARD_TOKEN_LEN)) {
		if (post)
			survey_post(w, req, path + strlen("/avis/"));
		else
			survey_page(w, req, path + strlen("/avis/"));
		return;
	}
	bool known = !strcmp(path, "/") || !strcmp(path, "/style.css") ||
		     !strcmp(path, "/donnees-personnelles") || !strcmp(path, "/accessibilite") ||
		     !strcmp(path, "/favicon.ico") || !strcmp(path, "/tour.ics") ||
		     atelier_path(path, &id, &ics);
	if (known && post) {
		evhttp_add_header(evhttp_request_get_output_headers(req), "Allow", "GET, HEAD");
		page_message(req, 405, "Action impossible",
			     "Cette page ne reçoit pas de formulaire.", "/");
	} else if (!strcmp(path, "/")) {
		tour_page(w, req);
	} else if (!strcmp(path, "/donnees-personnelles")) {
		info_privacy(req, &w->d->cfg);
	} else if (!strcmp(path, "/accessibilite")) {
		info_accessibility(req, &w->d->cfg);
	} else if (!strcmp(path, "/style.css")) {
		page_css(req);
	} else if (!strcmp(path, "/tour.ics")) {
		tour_ics(w, req);
	} else if (!strcmp(path, "/favicon.ico")) {
		page_no_icon(req);
	} else if (known) {
		atelier_ics(w, req, id);
	} else {
		page_message(req, 404, "Page introuvable", "Cette page n'existe pas.", "/");
	}
}

/* Out of file descriptors, libevent would retry accept() at once, again
 * and again: pause a second instead, as the control socket does. */
static struct web *site; /* libevent hands the error callback evhttp's pointer */

static void on_accept_error(struct evconnlistener *l, void *arg)
{
	(void)arg;
	listen_pause(l, site->accept_retry, "http: ");
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
	/* descriptors stay in reserve for the control socket, the database
	 * and the mailer, whatever the site's visitors do */
	struct rlimit nofile;
	long room = getrlimit(RLIMIT_NOFILE, &nofile) == 0 && nofile.rlim_cur != RLIM_INFINITY
			? (long)nofile.rlim_cur - cfg->max_clients - 64
			: cfg->http_max_connections;
	int max = room < cfg->http_max_connections ? (int)(room < 8 ? 8 : room)
						   : cfg->http_max_connections;
	w->conns = siteconns_start(d->base, w->http, max, cfg->http_timeout);
	struct evhttp_bound_socket *bound =
	    evhttp_bind_socket_with_handle(w->http, cfg->http_address, (ev_uint16_t)cfg->http_port);
	w->accept_retry = evtimer_new(d->base, on_accept_retry, w);
	if (!bound || !w->accept_retry || !w->conns) {
		if (w->accept_retry)
			event_free(w->accept_retry);
		evhttp_free(w->http);
		siteconns_stop(w->conns);
		free(w);
		return adf_fail(err, ADF_E_UNAVAILABLE, "http: cannot listen on %s port %d",
				cfg->http_address, cfg->http_port);
	}
	site = w;
	w->listener = evhttp_bound_socket_get_listener(bound);
	evconnlistener_set_error_cb(w->listener, on_accept_error);
	d->web = w;
	log_info("http: public site on %s port %d, %s (at most %d connections)", cfg->http_address,
		 cfg->http_port, cfg->http_base_url, max);
	return 0;
}

void web_stop(struct adfd *d)
{
	if (!d->web)
		return;
	evhttp_free(d->web->http);
	siteconns_stop(d->web->conns);
	event_free(d->web->accept_retry);
	free(d->web);
	site = NULL;
	d->web = NULL;
}
