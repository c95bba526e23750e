/* The organisers' view of mail: the queue, what is coming, previews,
 * failures and retries, a test message, per-Atelier reminder rules. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "atelier.h"
#include "date.h"
#include "db.h"
#include "dispatch.h"
#include "handlers.h"
#include "outbox.h"
#include "scheduler.h"
#include "template.h"
#include "text.h"

#define OUTBOX_SELECT                                                                              \
	"SELECT id, kind, atelier_id AS atelier, recipient, subject, state, attempts,"             \
	" next_attempt, last_error, created_at, sent_at, message_id FROM outbox"

static const char *get(json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

static int list_outbox(struct req *r, json_t *state)
{
	sqlite3_stmt *st =
	    db_query(r->db, &r->err,
		     OUTBOX_SELECT " WHERE (?1 IS NULL OR state = ?1)"
				   " AND (?2 IS NULL OR atelier_id = ?2)"
				   " ORDER BY id DESC LIMIT ?3",
		     "jjI", state, json_object_get(r->args, "atelier"), arg_int(r, "limit", 100));
	r->data = db_rows_json(r->db, st, &r->err);
	return r->data ? 0 : -1;
}

int h_mail_queue(struct req *r)
{
	return list_outbox(r, json_object_get(r->args, "state"));
}

int h_mail_failed(struct req *r)
{
	json_t *failed = json_string("failed");
	int rc = list_outbox(r, failed);
	json_decref(failed);
	return rc;
}

int h_mail_retry(struct req *r)
{
	char now[21];
	db_now(now);
	if (arg_bool(r, "all-failed") && (arg_has(r, "id") || arg_has(r, "to")))
		return req_fail(r, ADF_E_BAD_REQUEST,
				"give a message id (and to), or all-failed, not both");
	if (arg_bool(r, "all-failed")) {
		int n =
		    db_exec(r->db, &r->err,
			    "UPDATE outbox SET state = 'pending', attempts = 0, next_attempt = ?"
			    " WHERE state = 'failed'",
			    "s", now);
		if (n < 0)
			return -1;
		snprintf(r->target, sizeof r->target, "outbox:%d failed", n);
		r->data = json_pack("{s:i}", "retried", n);
		return 0;
	}
	if (!arg_has(r, "id"))
		return req_fail(r, ADF_E_BAD_REQUEST, "give a message id or all-failed");
	long long id = arg_int(r, "id", 0);
	snprintf(r->target, sizeof r->target, "outbox:%lld", id);
	const char *to = arg_str(r, "to");
	if (to && !email_valid(to))
		return req_fail(r, ADF_E_BAD_REQUEST, "to: \"%s\" is not a valid e-mail address",
				to);
	int n = db_exec(r->db, &r->err,
			"UPDATE outbox SET state = 'pending', attempts = 0, next_attempt = ?,"
			" recipient = coalesce(?, recipient) WHERE id = ? AND state = 'failed'",
			"ssI", now, to, id);
	if (n < 0)
		return -1;
	if (n == 0)
		return req_fail(r,
				db_scalar(r->db, &r->err,
					  "SELECT count(*) FROM outbox WHERE id = ?", "I", id) > 0
				    ? ADF_E_CONFLICT
				    : ADF_E_NOT_FOUND,
				"message %lld is not a failed message", id);
	r->data = json_pack("{s:i}", "retried", 1);
	return 0;
}

int h_mail_test(struct req *r)
{
	const char *to = arg_str(r, "address");
	if (!email_valid(to))
		return req_fail(r, ADF_E_BAD_REQUEST, "\"%s\" is not a valid e-mail address", to);
	char key[64] = "test:";
	random_hex(key + strlen(key), 8);
	json_t *vars = json_pack("{s:s,s:s}", "person.greeting", "Bonjour,", "mail.from_name",
				 r->adfd->cfg.mail_from_name);
	struct outbox_msg m = {
	    .dedupe_key = key, .kind = "test", .to = to, .template = "test", .vars = vars};
	bool queued;
	int rc = outbox_queue(r, &m, &queued);
	json_decref(vars);
	if (rc < 0)
		return -1;
	long long id = db_last_id(r->db);
	snprintf(r->target, sizeof r->target, "outbox:%lld", id);
	r->data = json_pack("{s:I,s:s}", "id", (json_int_t)id, "state", "pending");
	return 0;
}

/* The reminders the next days will bring, rendered, to whom. */
int h_mail_upcoming(struct req *r)
{
	time_t now = time(NULL), until = now + (time_t)arg_int(r, "days", 7) * 86400;
	char from[INSTANT_LEN], to[INSTANT_LEN];
	instant_format((long long)now, from);
	/* an Atelier whose reminder falls inside */
	instant_format((long long)until + 366 * 86400, to);
	sqlite3_stmt *st = db_query(r->db, &r->err,
				    "SELECT id, starts_at FROM atelier WHERE status = 'scheduled'"
				    " AND starts_at > ? AND starts_at <= ? ORDER BY starts_at",
				    "ss", from, to);
	json_t *ateliers = json_array();
	int rc;
	while (st && (rc = db_step(r->db, st, &r->err)) == 1)
		json_array_append_new(ateliers, db_row_json(st));
	if (!st || rc < 0) {
		json_decref(ateliers);
		return -1;
	}
	r->data = json_array();
	size_t i, j;
	json_t *a, *rule;
	rc = 0;
	json_array_foreach(ateliers, i, a)
	{
		long long aid = json_integer_value(json_object_get(a, "id"));
		time_t starts = (time_t)instant_parse(get(a, "starts_at"));
		json_t *rules = scheduler_rules(r, aid);
		json_t *atelier = rules ? atelier_get(r, aid) : NULL;
		json_array_foreach(rules, j, rule)
		{
			time_t due =
			    starts - (time_t)json_integer_value(json_object_get(rule, "offset"));
			if (due <= now || due > until)
				continue;
			const struct template *t =
			    template_find(&r->adfd->templates, get(rule, "template"));
			const char *aud = get(rule, "audience");
			json_t *people =
			    scheduler_recipients(r, aid, NULL, strstr(aud, "registrants"), false,
						 strstr(aud, "speakers"), NULL, -1);
			const char *key;
			json_t *p;
			char when[INSTANT_LEN];
			instant_format((long long)due, when);
			json_object_foreach(people, key, p)
			{
				/* the link's secret is not shown: upcoming is for readers
				 * too, and the link's place in the text is what matters */
				char cancel[300];
				bool link = mail_cancel_url(
				    r, json_integer_value(json_object_get(p, "registration")),
				    cancel, sizeof cancel);
				char *secret = link ? strstr(cancel, "/annulation/") : NULL;
				if (secret)
					snprintf(secret, sizeof cancel - (size_t)(secret - cancel),
						 "/annulation/…");
				json_t *vars =
				    mail_vars(r, atelier, get(p, "name"), get(p, "civility"), 0,
					      link ? cancel : NULL);
				char *subject = NULL, *body = NULL;
				if (t)
					template_render(t, vars, &subject, &body);
				json_array_append_new(
				    r->data,
				    json_pack("{s:s,s:I,s:s,s:O,s:s?,s:s?}", "due_at", when,
					      "atelier", (json_int_t)aid, "rule", get(rule, "name"),
					      "to", json_object_get(p, "email"), "subject", subject,
					      "body", body));
				free(subject);
				free(body);
				json_decref(vars);
			}
			json_decref(people);
		}
		json_decref(atelier);
		json_decref(rules);
	}
	json_decref(ateliers);
	return rc;
}

int h_mail_preview(struct req *r)
{
	const struct template *t = template_find(&r->adfd->templates, arg_str(r, "template"));
	if (!t)
		return req_fail(r, ADF_E_NOT_FOUND, "no template \"%s\"", arg_str(r, "template"));
	json_t *atelier = atelier_get(r, arg_int(r, "atelier", 0));
	if (!atelier)
		return -1;
	char example[300];
	snprintf(example, sizeof example, "%s/annulation/…",
		 r->adfd->cfg.http_base_url ? r->adfd->cfg.http_base_url : "");
	json_t *vars =
	    mail_vars(r, atelier, "Marie Dupont", NULL, 3, r->adfd->cfg.http_port ? example : NULL);
	char *subject, *body;
	int rc = template_render(t, vars, &subject, &body);
	json_decref(vars);
	json_decref(atelier);
	if (rc < 0)
		return req_fail(r, ADF_E_INTERNAL, "out of memory");
	char *content = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&content, &len);
	if (f) {
		fprintf(f, "Subject: %s\n\n%s", subject, body);
		fclose(f);
	}
	r->data = json_pack("{s:s,s:s,s:s?}", "subject", subject, "body", body, "content", content);
	free(subject);
	free(body);
	free(content);
	return 0;
}

int h_reminder_set(struct req *r)
{
	long long atelier = arg_int(r, "atelier", 0);
	json_t *a = atelier_get(r, atelier);
	if (!a)
		return -1;
	json_decref(a);
	snprintf(r->target, sizeof r->target, "atelier:%lld", atelier);
	long offset = offset_parse(arg_str(r, "offset"));
	if (offset < 0)
		return req_fail(r, ADF_E_BAD_REQUEST,
				"offset: \"%s\" is not like \"7d\", \"12h\", \"90m\" or \"30s\"",
				arg_str(r, "offset"));
	const char *template = arg_str(r, "template");
	if (!template_find(&r->adfd->templates, template))
		return req_fail(r, ADF_E_NOT_FOUND, "no template \"%s\"", template);
	const char *audience =
	    arg_has(r, "audience") ? arg_str(r, "audience") : "registrants,speakers";
	if (!strstr(audience, "registrants") && !strstr(audience, "speakers"))
		return req_fail(r, ADF_E_BAD_REQUEST, "audience: registrants, speakers, or both");
	if (db_exec(
		r->db, &r->err,
		"INSERT INTO reminder_rule (atelier_id, name, offset_seconds, audience, template)"
		" VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (atelier_id, name) DO UPDATE SET"
		" offset_seconds = ?3, audience = ?4, template = ?5",
		"IsIss", atelier, arg_str(r, "name"), (long long)offset, audience, template) < 0)
		return -1;
	r->data = scheduler_rules(r, atelier);
	return r->data ? 0 : -1;
}

int h_reminder_clear(struct req *r)
{
	long long atelier = arg_int(r, "atelier", 0);
	snprintf(r->target, sizeof r->target, "atelier:%lld", atelier);
	if (db_exec(r->db, &r->err, "DELETE FROM reminder_rule WHERE atelier_id = ?", "I",
		    atelier) < 0)
		return -1;
	r->data = scheduler_rules(r, atelier);
	return r->data ? 0 : -1;
}

int h_reminder_list(struct req *r)
{
	long long atelier = arg_int(r, "atelier", 0);
	json_t *a = atelier_get(r, atelier);
	if (!a)
		return -1;
	json_decref(a);
	r->data = scheduler_rules(r, atelier);
	if (!r->data)
		return -1;
	/* a moment already handled says how: queued, skipped, or not due */
	size_t i;
	json_t *rule;
	json_array_foreach(r->data, i, rule)
	{
		sqlite3_stmt *st = db_query(r->db, &r->err,
					    "SELECT due_at, outcome FROM reminder_run"
					    " WHERE atelier_id = ? AND rule = ?",
					    "Is", atelier, get(rule, "name"));
		int rc = st ? db_step(r->db, st, &r->err) : -1;
		if (rc < 0)
			return -1;
		if (rc == 1) {
			json_t *run = db_row_json(st);
			json_object_update(rule, run);
			json_decref(run);
			sqlite3_reset(st);
		}
	}
	return 0;
}
