/* What the site's pages share about a visitor: the words of the domain's
 * reasons, when and where an Atelier is, the one write path as the site
 * takes it, and one's own registration by the secret token of its mails.
 * The pages (web.c, cancel.c, survey.c) call it; it calls none of them. */
#include "config.h"

#include <event2/http.h>
#include <stdio.h>
#include <string.h>

#include "atelier.h"
#include "audit.h"
#include "db.h"
#include "guard.h"
#include "page.h"
#include "registration.h"
#include "site.h"
#include "text.h"
#include "work.h"

#define SELECTOR_LEN 16 /* the part of a cancel token its lookup uses */

/* The domain's reasons, in the site's words: the one place they are. */
const char *reason_fr(enum registration_reason why)
{
	switch (why) {
	case REGISTRATION_ATELIER_CANCELLED:
		return "Cet Atelier est annulé : les inscriptions sont fermées.";
	case REGISTRATION_ATELIER_OVER:
		return "Cet Atelier a eu lieu : les inscriptions sont closes.";
	case REGISTRATION_NOT_OPEN:
		return "Les inscriptions à cet Atelier ne sont pas ouvertes.";
	case REGISTRATION_ALREADY_CANCELLED:
		return "Cette inscription est déjà annulée.";
	case REGISTRATION_WAITLIST_FULL:
		return "Cet Atelier est complet, et sa liste d'attente aussi : les inscriptions "
		       "sont "
		       "closes.";
	case REGISTRATION_ATTENDED:
		return "Votre présence à cet Atelier est enregistrée : l'inscription ne peut plus "
		       "être annulée.";
	default:
		return "Cet Atelier ne prend plus d'inscriptions.";
	}
}

/* "mercredi 27 septembre 2017, 8 h 30, Hôtel du Département, Gap" */
void write_when_where(FILE *out, json_t *atelier)
{
	html_write(out, json_str(atelier, "when_fr"));
	fputs(", ", out);
	html_write(out, json_str(atelier, "venue"));
	fputs(", ", out);
	html_write(out, json_str(atelier, "city"));
}

/* The site's writes go the one write path: a transaction of their own
 * (committing an open group of the socket first), audited as uid -1,
 * and mail planned after (WORK_CHANGED). */
int web_begin(struct web *w, struct work *job)
{
	work_init(job, w->d);
	return work_begin(job);
}

int web_end(struct work *job, bool done, const char *command)
{
	if (done)
		job->events |= WORK_CHANGED;
	return work_end(job, done ? 0 : -1, AUDIT_UID_WEB, command);
}

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
		if (t && strlen(t) == GUARD_TOKEN_LEN && guard_secret_equal(t, token))
			found = sqlite3_column_int64(st, 0);
	}
	return rc < 0 ? -1 : found;
}

bool own_registration(struct web *w, struct evhttp_request *req, const char *token, json_t **reg,
		      json_t **atelier)
{
	struct work job;
	work_init(&job, w->d);
	long long id = registration_by_token(w, token, &job.err);
	*reg = id > 0 ? registration_get(&job, id) : NULL;
	*atelier =
	    *reg ? atelier_get(&job, json_integer_value(json_object_get(*reg, "atelier"))) : NULL;
	if (*atelier)
		return true;
	json_decref(*reg);
	if (id < 0 || (id > 0 && job.err.code != ADF_E_NOT_FOUND))
		page_unavailable(req, &job.err);
	else
		page_message(req, 404, "Lien inconnu",
			     "Ce lien ne correspond à aucune inscription. Vérifiez "
			     "qu'il est complet, tel qu'il figure dans votre e-mail.",
			     "/");
	return false;
}
