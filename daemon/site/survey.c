/* The satisfaction survey after an Atelier, reached by the personal link
 * of the mail that thanks those who came: a few questions on a 1-5 scale
 * and a free comment, once. */
#include "config.h"

#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "guard.h"
#include "log.h"
#include "page.h"
#include "site.h"
#include "survey.h"
#include "text.h"
#include "work.h"

static const char *const scale_fr[5] = {"1 — pas du tout", "2", "3", "4", "5 — tout à fait"};

/* A form at least this large reaches adfd, which then refuses in French
 * what is too long: a comment of SURVEY_COMMENT_MAX characters of four
 * bytes each, each byte encoded as %XX, and the rest of the form. */
_Static_assert(SURVEY_COMMENT_MAX * 4 * 3 + 1024 <= HTTP_MIN_BODY,
	       "http.max_body's minimum must let the largest survey form through");

/* The survey's page: the form, with what was typed when it comes back
 * (scores 0 and comment NULL when new), and a refusal's words above it. */
static void survey_show(struct web *w, struct evhttp_request *req, const char *token, json_t *reg,
			json_t *atelier, const int scores[SURVEY_QUESTIONS], const char *comment,
			const char *refusal, bool bad_comment)
{
	struct work job;
	work_init(&job, w->d);
	const char *closed = survey_closed_fr(&job, reg, atelier);
	struct page p;
	/* a refusal says so first, in the title a screen reader reads */
	FILE *out = page_begin(&p, refusal ? "Erreur : votre avis" : "Votre avis");
	if (out) {
		fputs("<main>\n<h1>Votre avis sur l'Atelier</h1>\n<p>", out);
		html_write(out, json_str(atelier, "title"));
		fputs("<br>\n", out);
		write_when_where(out, atelier);
		fputs("</p>\n", out);
		if (closed) {
			fputs("<p class=\"notice\">", out);
			html_write(out, closed);
			fputs("</p>\n", out);
		} else {
			if (refusal) {
				fputs("<p class=\"error\" role=\"alert\" id=\"erreur\">", out);
				html_write(out, refusal);
				fputs("</p>\n", out);
			}
			char csrf[GUARD_TOKEN_LEN + 1];
			guard_csrf_for_form(&w->d->cfg, req, csrf);
			fprintf(out,
				"<p>Deux minutes, quatre questions : vos réponses sont anonymes "
				"et nous aident à préparer les prochains Ateliers.</p>\n"
				"<form method=\"post\" action=\"/avis/%s\">\n"
				"<input type=\"hidden\" name=\"csrf\" value=\"%s\">\n",
				token, csrf);
			for (int q = 0; q < SURVEY_QUESTIONS; q++) {
				fprintf(out, "<fieldset>\n<legend>%s</legend>\n",
					survey_questions_fr[q]);
				for (int v = 1; v <= 5; v++)
					fprintf(out,
						"<label><input type=\"radio\" name=\"%s\" "
						"value=\"%d\" required%s> %s</label>\n",
						survey_keys[q], v, scores[q] == v ? " checked" : "",
						scale_fr[v - 1]);
				fputs("</fieldset>\n", out);
			}
			fprintf(out,
				"<p><label for=\"commentaire\">Un commentaire (facultatif, %d "
				"caractères au plus)</label>\n"
				"<textarea id=\"commentaire\" name=\"commentaire\" rows=\"5\" "
				"maxlength=\"%d\"%s>",
				SURVEY_COMMENT_MAX, SURVEY_COMMENT_MAX,
				bad_comment ? " aria-invalid=\"true\" aria-describedby=\"erreur\""
					    : "");
			html_write(out, comment ? comment : "");
			fputs("</textarea></p>\n"
			      "<p><button type=\"submit\">Envoyer mon avis</button></p>\n"
			      "</form>\n",
			      out);
		}
		fputs("</main>\n", out);
	}
	page_send(req, &p, refusal ? 400 : 200, true);
}

void survey_page(struct web *w, struct evhttp_request *req, const char *token)
{
	json_t *reg, *atelier;
	if (!own_registration(w, req, token, &reg, &atelier))
		return;
	const int none[SURVEY_QUESTIONS] = {0};
	survey_show(w, req, token, reg, atelier, none, NULL, NULL, false);
	json_decref(reg);
	json_decref(atelier);
}

/* A score of the form, 1..5, or 0. */
static int score_of(struct evkeyvalq *form, const char *key)
{
	const char *v = evhttp_find_header(form, key);
	return v && v[0] >= '1' && v[0] <= '5' && !v[1] ? v[0] - '0' : 0;
}

void survey_post(struct web *w, struct evhttp_request *req, const char *token)
{
	struct evkeyvalq form;
	if (!guard_read_form(req, &form))
		return;
	char back[100];
	snprintf(back, sizeof back, "/avis/%s", token);
	if (!guard_csrf_valid(req, &form)) {
		evhttp_clear_headers(&form);
		page_message(
		    req, 403, "Formulaire expiré",
		    "Ce formulaire a expiré ou vient d'un autre site. Rechargez la page et "
		    "envoyez-le à nouveau.",
		    back);
		return;
	}
	int scores[SURVEY_QUESTIONS];
	bool complete = true;
	for (int q = 0; q < SURVEY_QUESTIONS; q++)
		complete &= (scores[q] = score_of(&form, survey_keys[q])) > 0;
	const char *given = evhttp_find_header(&form, "commentaire");
	char *comment = given ? strdup(given) : NULL;
	evhttp_clear_headers(&form);
	/* a comment is kept as typed, but valid text, bounded, and with nothing
	 * that would drive the terminal it is read on (escapes, bidi overrides) */
	/* what is wrong, said precisely */
	const char *refusal =
	    complete ? NULL : "Merci de noter chacune des quatre questions de 1 à 5.";
	char too_long[160];
	bool bad_comment = false;
	if (comment) {
		utf8_clean(comment);
		for (char *c = comment; *c; c++)
			if (*c == '\r')
				*c = ' ';
		size_t width = utf8_width(comment);
		if (width > SURVEY_COMMENT_MAX) {
			snprintf(
			    too_long, sizeof too_long,
			    "Votre commentaire compte %zu caractères : raccourcissez-le à %d au "
			    "plus.",
			    width, SURVEY_COMMENT_MAX);
			refusal = too_long;
			bad_comment = true;
		} else if (text_has_control(comment, true)) {
			refusal = "Votre commentaire contient des caractères invisibles ou de "
				  "contrôle : écrivez-le en texte simple.";
			bad_comment = true;
		}
		if (comment[strspn(comment, " \t\n")] == '\0') {
			free(comment);
			comment = NULL;
		}
	}
	json_t *reg, *atelier;
	if (!own_registration(w, req, token, &reg, &atelier)) {
		free(comment);
		return;
	}
	if (refusal) {
		/* the form again, with what they typed */
		survey_show(w, req, token, reg, atelier, scores, comment, refusal, bad_comment);
		free(comment);
		json_decref(reg);
		json_decref(atelier);
		return;
	}
	struct work job;
	int rc = web_begin(w, &job) == 0 ? survey_answer(&job, reg, atelier, scores, comment) : -1;
	if (web_end(&job, rc == 0, "web.survey") < 0) {
		if (job.err.code == ADF_E_CONFLICT)
			page_message(req, 409, "Questionnaire fermé", job.err.message, "/");
		else
			page_unavailable(req, &job.err);
	} else {
		log_info("web: a survey answer for Atelier %lld", json_int(atelier, "id"));
		page_message(req, 200, "Merci de votre avis",
			     "Votre réponse est enregistrée, sans votre nom. Elle nourrira la "
			     "restitution du cycle et les prochains Ateliers.",
			     "/");
	}
	free(comment);
	json_decref(reg);
	json_decref(atelier);
}
