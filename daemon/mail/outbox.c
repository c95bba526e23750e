#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "atelier.h"
#include "date.h"
#include "db.h"
#include "log.h"
#include "outbox.h"
#include "programme.h"
#include "session.h"
#include "template.h"
#include "text.h"
#include "work.h"

json_t *mail_vars(struct work *ctx, json_t *atelier, json_t *person, long long position,
		  const char *cancel_url)
{
	const char *name = json_str(person, "name"), *civility = json_str(person, "civility");
	char hint[400];
	if (cancel_url)
		snprintf(hint, sizeof hint, "Pour annuler votre inscription : %s", cancel_url);
	else
		snprintf(hint, sizeof hint,
			 "Pour annuler votre inscription, répondez simplement à ce message.");
	char day[80] = "", time[16] = "", greeting[300], pos[24] = "";
	int y, m, d, h, min;
	if (date_parse(json_str(atelier, "date"), &y, &m, &d)) {
		date_fr(day, sizeof day, y, m, d);
		char *year = strrchr(day, ' ');
		if (year)
			*year = '\0'; /* "mercredi 27 septembre" */
	}
	if (time_parse(json_str(atelier, "time"), &h, &min))
		time_fr(time, sizeof time, h, min);
	/* one rule greets everyone (common/text.c): a protocol title, the
	 * civility, or the name */
	char first[256], last[256];
	if (json_str(person, "last_name")) {
		snprintf(first, sizeof first, "%s", json_str(person, "first_name") ?: "");
		snprintf(last, sizeof last, "%s", json_str(person, "last_name"));
	} else {
		name_split(name ? name : "", first, sizeof first, last, sizeof last);
	}
	greeting_fr(civility, json_str(person, "role"), first, last, greeting, sizeof greeting);
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
	long long atelier_id = json_integer_value(json_object_get(atelier, "id"));
	char *programme = programme_render(ctx, atelier_id, PROGRAMME_TEXT);
	/* "the programme below" only above one that has sessions */
	json_t *sessions = session_list_json(ctx, atelier_id);
	const char *programme_hint =
	    json_array_size(sessions) > 0 ? "Vous trouverez le programme ci-dessous." : "";
	json_decref(sessions);
	json_t *vars = json_pack(
	    "{s:s?,s:s,s:s?,s:s,s:s?,s:s?,s:s?,s:s?,s:s?,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s}",
	    "atelier.title", json_str(atelier, "title"), "atelier.day_fr", day, "atelier.when_fr",
	    json_str(atelier, "when_fr"), "atelier.time_fr", time, "atelier.venue",
	    json_str(atelier, "venue"), "atelier.city", json_str(atelier, "city"),
	    "atelier.departement_name", json_str(atelier, "departement_name"), "atelier.edition_fr",
	    json_str(atelier, "edition_fr"), "atelier.programme", programme ? programme : "",
	    "person.name", name ? name : "", "person.civility", civility ? civility : "",
	    "person.greeting", greeting, "registration.position", pos, "registration.state_fr",
	    state, "registration.cancel_hint", hint, "mail.from_name",
	    ctx->adfd->cfg.mail_from_name, "mail.privacy_hint", privacy);
	free(programme);
	json_object_set_new(vars, "atelier.programme_hint", json_string(programme_hint));
	/* "Motif : grève." when the organiser gave one */
	const char *reason = json_str(atelier, "cancel_reason");
	char why[600] = "";
	if (reason && *reason)
		snprintf(why, sizeof why, "Motif : %s.", reason);
	json_object_set_new(vars, "atelier.cancel_reason_fr", json_string(why));
	/* what the Atelier left, once held: a line each, or nothing */
	const char *replay = json_str(atelier, "replay_url"),
		   *slides = json_str(atelier, "slides_url");
	char line[600] = "";
	if (replay)
		snprintf(line, sizeof line, "Revoir l'Atelier : %s", replay);
	json_object_set_new(vars, "atelier.replay_hint", json_string(line));
	line[0] = '\0';
	if (slides)
		snprintf(line, sizeof line, "Les supports des intervenants : %s", slides);
	json_object_set_new(vars, "atelier.slides_hint", json_string(line));
	json_object_set_new(vars, "registration.survey_hint", json_string(""));
	return vars;
}

static void message_id(const char *from, char out[128])
{
	char random[25];
	random_hex(random, 12);
	const char *domain = strrchr(from, '@');
	snprintf(out, 128, "adf.%s@%s", random, domain ? domain + 1 : "localhost");
}

int outbox_queue(struct work *ctx, const struct outbox_msg *m, bool *queued)
{
	*queued = false;
	const struct template *t = template_find(&ctx->adfd->templates, m->template);
	if (!t)
		return work_fail(ctx, ADF_E_INTERNAL, "no mail template \"%s\"", m->template);
	char *subject, *body, now[21], id[128];
	if (template_render(t, m->vars, &subject, &body) < 0)
		return work_fail(ctx, ADF_E_INTERNAL, "out of memory");
	db_now(now);
	message_id(ctx->adfd->cfg.mail_from, id);
	json_t *atelier = m->atelier ? json_integer(m->atelier) : NULL;
	int rc =
	    db_exec(ctx->db, &ctx->err,
		    "INSERT INTO outbox (dedupe_key, kind, atelier_id, recipient, recipient_name,"
		    " subject, body, ics, ics_method, message_id, state, next_attempt,"
		    " last_error, created_at, unsubscribe) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
		    " ?, ?, ?, ?) ON CONFLICT (dedupe_key) DO NOTHING",
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

/* What the outbox holds of people is erased in the rows of a forgotten
 * address (?1; a key of an older adfd ended with it), or of the Ateliers
 * before a retention cutoff (?1) and mail about none older than that.
 * Literal texts: the statement cache knows them by address. */
#define SCRUB_SET                                                                                  \
	"UPDATE outbox SET recipient = 'anonyme-' || id || '@invalid', recipient_name = NULL,"     \
	" subject = '(effacé)', body = '', ics = NULL, last_error = NULL,"                        \
	" dedupe_key = CASE WHEN dedupe_key LIKE '%@%' THEN 'erased:' || id ELSE dedupe_key END,"  \
	" state = CASE WHEN state IN ('pending', 'sending') THEN 'cancelled' ELSE state END"
#define WHERE_FORGOTTEN                                                                            \
	" WHERE lower(recipient) = ?1 OR (dedupe_key LIKE '%@%'"                                   \
	" AND substr(dedupe_key, -length(?1)) = ?1)"
#define WHERE_RETAINED_TOO_LONG                                                                    \
	" WHERE recipient NOT LIKE 'anonyme-%@invalid' AND (atelier_id IN"                         \
	" (SELECT id FROM atelier WHERE date < ?1) OR (atelier_id IS NULL AND created_at < ?1))"

/* Erases address, name, text, invitation, the server's error (which may
 * quote the address) and an address-bearing key in the rows picked, and
 * the copies a maildir transport delivered; mail not sent yet is not sent
 * any more. Returns how many rows, or -1. */
int outbox_scrub(struct db *db, struct adf_error *err, enum outbox_scrub which, const char *param,
		 long long **scrubbed, size_t *count)
{
	*scrubbed = NULL;
	*count = 0;
	bool retention = which == OUTBOX_RETAINED_BEFORE;
	const char *select = retention ? "SELECT id FROM outbox" WHERE_RETAINED_TOO_LONG
				       : "SELECT id FROM outbox" WHERE_FORGOTTEN;
	const char *update =
	    retention ? SCRUB_SET WHERE_RETAINED_TOO_LONG : SCRUB_SET WHERE_FORGOTTEN;
	json_t *rows = db_rows_json(db, db_query(db, err, select, "s", param), err);
	if (!rows)
		return -1;
	size_t n = json_array_size(rows);
	long long *ids = calloc(n ? n : 1, sizeof *ids);
	for (size_t i = 0; ids && i < n; i++)
		ids[i] = json_integer_value(json_object_get(json_array_get(rows, i), "id"));
	json_decref(rows);
	if (!ids)
		return adf_fail(err, ADF_E_INTERNAL, "out of memory");
	int changed = db_exec(db, err, update, "s", param);
	if (changed < 0)
		free(ids);
	else {
		*scrubbed = ids;
		*count = n;
	}
	return changed;
}

json_t *outbox_personal_data(struct db *db, struct adf_error *err)
{
	json_t *row = db_row(db,
			     db_query(db, err,
				      "SELECT count(*) AS mails_with_personal_data,"
				      " min(created_at) AS oldest_mail FROM outbox"
				      " WHERE recipient NOT LIKE 'anonyme-%@invalid'",
				      ""),
			     err);
	return row;
}

#define OUTBOX_SELECT                                                                              \
	"SELECT id, kind, atelier_id AS atelier, recipient, subject, state, attempts,"             \
	" next_attempt, last_error, created_at, sent_at, message_id FROM outbox"

json_t *outbox_list(struct work *w, json_t *state, json_t *atelier, long long limit)
{
	sqlite3_stmt *st = db_query(w->db, &w->err,
				    OUTBOX_SELECT " WHERE (?1 IS NULL OR state = ?1)"
						  " AND (?2 IS NULL OR atelier_id = ?2)"
						  " ORDER BY id DESC LIMIT ?3",
				    "jjI", state, atelier, limit);
	return db_rows_json(w->db, st, &w->err);
}

json_t *outbox_retry_failed(struct work *w)
{
	char now[21];
	db_now(now);
	int n = db_exec(w->db, &w->err,
			"UPDATE outbox SET state = 'pending', attempts = 0, next_attempt = ?"
			" WHERE state = 'failed'",
			"s", now);
	if (n < 0)
		return NULL;
	snprintf(w->target, sizeof w->target, "outbox:%d failed", n);
	return json_pack("{s:i}", "retried", n);
}

json_t *outbox_retry(struct work *w, long long id, const char *to)
{
	char now[21];
	db_now(now);
	snprintf(w->target, sizeof w->target, "outbox:%lld", id);
	if (to && !email_valid(to)) {
		work_fail(w, ADF_E_BAD_REQUEST, "to: \"%s\" is not a valid e-mail address", to);
		return NULL;
	}
	int n = db_exec(w->db, &w->err,
			"UPDATE outbox SET state = 'pending', attempts = 0, next_attempt = ?,"
			" recipient = coalesce(?, recipient) WHERE id = ? AND state = 'failed'",
			"ssI", now, to, id);
	if (n < 0)
		return NULL;
	if (n == 0) {
		long long exists =
		    db_scalar(w->db, &w->err, "SELECT count(*) FROM outbox WHERE id = ?", "I", id);
		work_fail(w, exists > 0 ? ADF_E_CONFLICT : ADF_E_NOT_FOUND,
			  "message %lld is not a failed message", id);
		return NULL;
	}
	return json_pack("{s:i}", "retried", 1);
}

json_t *outbox_test(struct work *w, const char *to)
{
	if (!email_valid(to)) {
		work_fail(w, ADF_E_BAD_REQUEST, "\"%s\" is not a valid e-mail address", to);
		return NULL;
	}
	char key[64] = "test:";
	random_hex(key + strlen(key), 8);
	json_t *vars = json_pack("{s:s,s:s}", "person.greeting", "Bonjour,", "mail.from_name",
				 w->adfd->cfg.mail_from_name);
	struct outbox_msg m = {
	    .dedupe_key = key, .kind = "test", .to = to, .template = "test", .vars = vars};
	bool queued;
	int rc = outbox_queue(w, &m, &queued);
	json_decref(vars);
	if (rc < 0)
		return NULL;
	long long id = db_last_id(w->db);
	snprintf(w->target, sizeof w->target, "outbox:%lld", id);
	return json_pack("{s:I,s:s}", "id", (json_int_t)id, "state", "pending");
}

long long outbox_next_attempt(struct db *db, struct adf_error *err)
{
	json_t *row = db_row(
	    db,
	    db_query(db, err,
		     "SELECT min(next_attempt) AS next FROM outbox WHERE state = 'pending'", ""),
	    err);
	const char *next = json_string_value(json_object_get(row, "next"));
	long long at = next ? instant_parse(next) : 0;
	json_decref(row);
	return at;
}

/* ---- For the mailer ------------------------------------------------------ */

int outbox_claim(struct db *db, struct adf_error *err, long long *ids, int max)
{
	char now[21];
	db_now(now);
	sqlite3_stmt *st =
	    db_query(db, err,
		     "SELECT id FROM outbox WHERE state = 'pending' AND next_attempt <= ?"
		     " ORDER BY next_attempt, id LIMIT ?",
		     "si", now, max);
	int rc = st ? 0 : -1, n = 0;
	while (st && n < max && (rc = db_step(db, st, err)) == 1)
		ids[n++] = sqlite3_column_int64(st, 0);
	if (st && rc == 1)
		sqlite3_reset(st);
	for (int i = 0; rc >= 0 && i < n; i++)
		if (db_exec(db, err,
			    "UPDATE outbox SET state = 'sending', attempts = attempts + 1"
			    " WHERE id = ?",
			    "I", ids[i]) < 0)
			rc = -1;
	return rc < 0 ? -1 : n;
}

int outbox_unclaim(struct db *db, struct adf_error *err, long long id)
{
	return db_exec(db, err,
		       "UPDATE outbox SET state = 'pending', attempts = attempts - 1"
		       " WHERE id = ? AND state = 'sending'",
		       "I", id) < 0
		   ? -1
		   : 0;
}

json_t *outbox_message(struct db *db, struct adf_error *err, long long id)
{
	return db_row(db,
		      db_query(db, err,
			       "SELECT recipient, recipient_name, subject, body, ics, ics_method,"
			       " message_id, created_at, unsubscribe FROM outbox WHERE id = ?",
			       "I", id),
		      err);
}

int outbox_sent(struct db *db, struct adf_error *err, long long id)
{
	char now[21];
	db_now(now);
	return db_exec(db, err,
		       "UPDATE outbox SET state = 'sent', sent_at = ?, last_error = NULL"
		       " WHERE id = ?",
		       "sI", now, id) < 0
		   ? -1
		   : 0;
}

long long outbox_attempts(struct db *db, struct adf_error *err, long long id)
{
	return db_scalar(db, err, "SELECT attempts FROM outbox WHERE id = ?", "I", id);
}

int outbox_failed(struct db *db, struct adf_error *err, long long id, bool for_good,
		  const char *next_attempt, const char *error)
{
	return db_exec(db, err,
		       "UPDATE outbox SET state = ?, next_attempt = ?, last_error = ? WHERE id = ?",
		       "sssI", for_good ? "failed" : "pending", next_attempt, error, id) < 0
		   ? -1
		   : 0;
}

int outbox_counts(struct db *db, struct adf_error *err, long long *queued, long long *failed)
{
	json_t *row =
	    db_row(db,
		   db_query(db, err,
			    "SELECT count(*) FILTER (WHERE state IN ('pending', 'sending'))"
			    " AS queued, count(*) FILTER (WHERE state = 'failed') AS failed"
			    " FROM outbox",
			    ""),
		   err);
	*queued = json_integer_value(json_object_get(row, "queued"));
	*failed = json_integer_value(json_object_get(row, "failed"));
	json_decref(row);
	return row ? 0 : -1;
}

json_t *outbox_counts_atelier(struct db *db, struct adf_error *err, long long atelier)
{
	return db_row(db,
		      db_query(db, err,
			       "SELECT count(*) FILTER (WHERE state IN ('pending', 'sending'))"
			       " AS pending, count(*) FILTER (WHERE state = 'failed') AS failed,"
			       " count(*) FILTER (WHERE state = 'sent') AS sent"
			       " FROM outbox WHERE atelier_id = ?",
			       "I", atelier),
		      err);
}

/* ---- For the planner ----------------------------------------------------- */

int outbox_queued(struct db *db, struct adf_error *err, const char *dedupe_key)
{
	long long n =
	    db_scalar(db, err, "SELECT count(*) FROM outbox WHERE dedupe_key = ?", "s", dedupe_key);
	return n < 0 ? -1 : n > 0;
}

long long outbox_count_keys(struct db *db, struct adf_error *err, const char *from,
			    const char *before)
{
	return db_scalar(db, err,
			 "SELECT count(*) FROM outbox WHERE dedupe_key >= ? AND dedupe_key < ?",
			 "ss", from, before);
}
