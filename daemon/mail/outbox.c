#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "atelier.h"
#include "date.h"
#include "db.h"
#include "dispatch.h"
#include "handlers.h"
#include "log.h"
#include "outbox.h"
#include "programme.h"
#include "scheduler.h"
#include "template.h"
#include "text.h"

static const char *get(json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

bool mail_cancel_url(struct req *ctx, long long registration, char *out, size_t n)
{
	const char *base = ctx->adfd->cfg.http_port ? ctx->adfd->cfg.http_base_url : NULL;
	if (!base || registration <= 0)
		return false;
	struct adf_error err;
	sqlite3_stmt *st = db_query(ctx->db, &err, "SELECT token FROM registration WHERE id = ?",
				    "I", registration);
	if (!st || db_step(ctx->db, st, &err) != 1)
		return false;
	snprintf(out, n, "%s/annulation/%s", base, sqlite3_column_text(st, 0));
	sqlite3_reset(st);
	return true;
}

json_t *mail_vars(struct req *ctx, json_t *atelier, const char *name, const char *civility,
		  long long position, const char *cancel_url)
{
	char hint[400];
	if (cancel_url)
		snprintf(hint, sizeof hint, "Pour annuler votre inscription : %s", cancel_url);
	else
		snprintf(hint, sizeof hint,
			 "Pour annuler votre inscription, répondez simplement à ce message.");
	char day[80] = "", time[16] = "", greeting[300], pos[24] = "";
	int y, m, d, h, min;
	if (date_parse(get(atelier, "date"), &y, &m, &d)) {
		date_fr(day, sizeof day, y, m, d);
		char *year = strrchr(day, ' ');
		if (year)
			*year = '\0'; /* "mercredi 27 septembre" */
	}
	if (time_parse(get(atelier, "time"), &h, &min))
		time_fr(time, sizeof time, h, min);
	if (civility && !strcmp(civility, "Mme"))
		snprintf(greeting, sizeof greeting, "Madame,");
	else if (civility && !strcmp(civility, "M."))
		snprintf(greeting, sizeof greeting, "Monsieur,");
	else
		snprintf(greeting, sizeof greeting, "Bonjour %s,", name ? name : "");
	char state[120] = "Votre place est confirmée.";
	if (position > 0) {
		snprintf(pos, sizeof pos, "%lld", position);
		snprintf(state, sizeof state,
			 "Votre demande est sur la liste d'attente, en position %lld.", position);
	}
	/* the information notice (GDPR art. 13), on the site when there is one */
	char privacy[400];
	const struct settings *cfg = &ctx->adfd->cfg;
	if (cfg->http_port && cfg->http_base_url)
		snprintf(privacy, sizeof privacy,
			 "Vos données personnelles et vos droits : %s/donnees-personnelles",
			 cfg->http_base_url);
	else
		snprintf(
		    privacy, sizeof privacy,
		    "Vos données servent à gérer votre inscription%s ; pour y accéder, les faire "
		    "rectifier ou effacer, répondez à ce message.",
		    cfg->retention_months > 0 ? " et sont anonymisées après l'Atelier" : "");
	char *programme = programme_render(ctx, json_integer_value(json_object_get(atelier, "id")),
					   PROGRAMME_TEXT);
	json_t *vars = json_pack(
	    "{s:s?,s:s,s:s?,s:s,s:s?,s:s?,s:s?,s:s?,s:s?,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s}",
	    "atelier.title", get(atelier, "title"), "atelier.day_fr", day, "atelier.when_fr",
	    get(atelier, "when_fr"), "atelier.time_fr", time, "atelier.venue",
	    get(atelier, "venue"), "atelier.city", get(atelier, "city"), "atelier.departement_name",
	    get(atelier, "departement_name"), "atelier.edition_fr", get(atelier, "edition_fr"),
	    "atelier.programme", programme ? programme : "", "person.name", name ? name : "",
	    "person.civility", civility ? civility : "", "person.greeting", greeting,
	    "registration.position", pos, "registration.state_fr", state,
	    "registration.cancel_hint", hint, "mail.from_name", ctx->adfd->cfg.mail_from_name,
	    "mail.privacy_hint", privacy);
	free(programme);
	return vars;
}

static void message_id(const char *from, char out[128])
{
	char random[25];
	random_hex(random, 12);
	const char *domain = strrchr(from, '@');
	snprintf(out, 128, "adf.%s@%s", random, domain ? domain + 1 : "localhost");
}

int outbox_queue(struct req *ctx, const struct outbox_msg *m, bool *queued)
{
	*queued = false;
	long long used =
	    db_scalar(ctx->db, &ctx->err, "SELECT count(*) FROM outbox WHERE dedupe_key = ?", "s",
		      m->dedupe_key);
	if (used != 0)
		return used < 0 ? -1 : 0;
	const struct template *t = template_find(&ctx->adfd->templates, m->template);
	if (!t)
		return req_fail(ctx, ADF_E_INTERNAL, "no mail template \"%s\"", m->template);
	char *subject, *body, now[21], id[128];
	if (template_render(t, m->vars, &subject, &body) < 0)
		return req_fail(ctx, ADF_E_INTERNAL, "out of memory");
	db_now(now);
	message_id(ctx->adfd->cfg.mail_from, id);
	json_t *atelier = m->atelier ? json_integer(m->atelier) : NULL;
	int rc =
	    db_exec(ctx->db, &ctx->err,
		    "INSERT INTO outbox (dedupe_key, kind, atelier_id, recipient, recipient_name,"
		    " subject, body, ics, ics_method, message_id, state, next_attempt,"
		    " last_error, created_at, unsubscribe) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
		    " ?, ?, ?, ?)",
		    "ssjssssssssssss", m->dedupe_key, m->kind, atelier, m->to, m->to_name, subject,
		    body, m->ics, m->ics ? m->ics_method : NULL, id,
		    m->state ? m->state : "pending", now, m->note, now, m->unsubscribe);
	json_decref(atelier);
	free(subject);
	free(body);
	*queued = rc == 1;
	return rc < 0 ? -1 : 0;
}

int outbox_recover(struct adfd *d)
{
	struct adf_error err;
	int n =
	    db_exec(d->db, &err, "UPDATE outbox SET state = 'pending' WHERE state = 'sending'", "");
	if (n > 0)
		log_warning(
		    "outbox: %d message(s) were being sent when adfd stopped: sending again "
		    "(same Message-ID)",
		    n);
	return n < 0 ? -1 : 0;
}
