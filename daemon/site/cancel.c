/* One's own registration, by the secret link of its mails: the page that
 * shows it, cancelling it, withdrawing the news consent. */
#include "config.h"

#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <stdio.h>
#include <string.h>
#include <sys/queue.h>

#include "atelier.h"
#include "db.h"
#include "guard.h"
#include "log.h"
#include "page.h"
#include "registration.h"
#include "site.h"
#include "text.h"
#include "work.h"

/* Why a registration cannot be cancelled on the site: the Atelier over
 * reads otherwise than its registrations closed. */
static const char *not_cancellable(json_t *reg, json_t *atelier)
{
	enum registration_reason why = registration_uncancellable(reg, atelier, true);
	return why == REGISTRATION_OK ? NULL
	       : why == REGISTRATION_ATELIER_OVER
		   ? "Cet Atelier a eu lieu : l'inscription ne peut plus être annulée."
		   : reason_fr(why);
}

void cancel_page(struct web *w, struct evhttp_request *req, const char *token)
{
	json_t *reg, *atelier;
	if (!own_registration(w, req, token, &reg, &atelier))
		return;
	struct page p;
	FILE *out = page_begin(&p, "Votre inscription");
	if (out) {
		fputs("<main>\n<h1>Votre inscription</h1>\n<p><strong>", out);
		html_write(out, json_str(reg, "name"));
		fputs("</strong></p>\n<p>", out);
		html_write(out, json_str(atelier, "title"));
		fputs("<br>\n", out);
		write_when_where(out, atelier);
		fputs("</p>\n<p class=\"notice\">", out);
		const char *status = json_str(reg, "status");
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
		/* the optional consent, withdrawn here as easily as it was given */
		const char *news = json_str(reg, "news_consent_at");
		if (news) {
			char csrf[GUARD_TOKEN_LEN + 1];
			guard_csrf_for_form(&w->d->cfg, req, csrf);
			fputs(
			    "<p>Vous avez demandé à être informé(e) des prochains Ateliers.</p>\n",
			    out);
			fprintf(out,
				"<form method=\"post\" action=\"/annulation/%s\">\n"
				"<input type=\"hidden\" name=\"csrf\" value=\"%s\">\n"
				"<input type=\"hidden\" name=\"action\" value=\"sans-nouvelles\">\n"
				"<p><button type=\"submit\">Ne plus être informé(e) des prochains "
				"Ateliers</button></p>\n</form>\n",
				token, csrf);
		}
		if (!why) {
			char csrf[GUARD_TOKEN_LEN + 1];
			guard_csrf_for_form(&w->d->cfg, req, csrf);
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

void cancel_post(struct web *w, struct evhttp_request *req, const char *token)
{
	struct evkeyvalq form;
	/* RFC 8058: a mail client's one-click POST carries no cookie; the
	 * secret link is the proof, as it is for the page itself. It may come
	 * as multipart/form-data (the RFC's advice) or urlencoded. */
	bool multipart_click = guard_one_click_multipart(req);
	if (multipart_click)
		TAILQ_INIT(&form);
	else if (!guard_read_form(req, &form))
		return;
	const char *one_click = evhttp_find_header(&form, "List-Unsubscribe");
	bool clicked = multipart_click || (one_click && !strcmp(one_click, "One-Click"));
	bool csrf = guard_csrf_valid(req, &form);
	bool allowed = clicked || csrf;
	const char *action = evhttp_find_header(&form, "action");
	bool withdraw = csrf && action && !strcmp(action, "sans-nouvelles");
	evhttp_clear_headers(&form);
	char back[100];
	snprintf(back, sizeof back, "/annulation/%s", token);
	if (!allowed) {
		page_message(
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
	long long reg_id = json_integer_value(json_object_get(reg, "id"));
	struct work job;
	if (withdraw) {
		int rc = web_begin(w, &job) == 0 ? registration_withdraw_news(&job, reg_id) : -1;
		if (web_end(&job, rc == 0, "web.withdraw") < 0)
			page_unavailable(req, &job.err);
		else
			page_message(
			    req, 200, "C'est noté",
			    "Vous ne recevrez plus d'annonces des prochains Ateliers. Votre "
			    "inscription, elle, ne change pas.",
			    back);
	} else if (why) {
		page_message(req, 409, "Annulation impossible", why, back);
	} else {
		/* a mail client's one-click unsubscribe stops every mail, news of
		 * the next Ateliers included */
		json_t *done =
		    web_begin(w, &job) == 0
			? registration_cancel(&job, reg_id, "annulée par la personne inscrite",
					      true, clicked)
			: NULL;
		if (web_end(&job, done != NULL, "web.cancel") < 0) {
			page_unavailable(req, &job.err);
		} else {
			log_info("web: registration %lld cancelled", reg_id);
			/* only a seat given back goes to the waiting list */
			bool had_seat = !strcmp(json_str(reg, "status"), "confirmed");
			char text[600];
			snprintf(text, sizeof text,
				 "Votre inscription à l'Atelier « %s » du %s est annulée. %s",
				 json_str(atelier, "title"), json_str(atelier, "when_fr"),
				 had_seat ? "Merci de nous avoir prévenus : votre place revient "
					    "à la première personne de la liste d'attente."
					  : "Vous ne figurez plus sur la liste d'attente. Merci "
					    "de nous avoir prévenus.");
			page_message(req, 200, "Inscription annulée", text, "/");
		}
		json_decref(done);
	}
	json_decref(reg);
	json_decref(atelier);
}

/* ---- Routing ------------------------------------------------------------ */

/* "/ateliers/ID" or "/ateliers/ID.ics". */
