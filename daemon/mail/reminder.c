/* Reminders: the rules of an Atelier (the configured ones and its own),
 * what the next days will bring, and a template's preview. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "atelier.h"
#include "date.h"
#include "db.h"
#include "outbox.h"
#include "paris.h"
#include "recipients.h"
#include "registration.h"
#include "reminder.h"
#include "template.h"
#include "text.h"
#include "work.h"

/* Before the start, the furthest first; then after the end, the nearest;
 * on a tie, the order they were listed in (configured, then its own). */
struct ranked {
	json_t *rule;
	size_t index;
};

static int rule_order(const void *a, const void *b)
{
	const struct ranked *x = a, *y = b;
	bool xa = json_is_true(json_object_get(x->rule, "after")),
	     ya = json_is_true(json_object_get(y->rule, "after"));
	if (xa != ya)
		return xa ? 1 : -1;
	long long xo = json_int(x->rule, "offset"), yo = json_int(y->rule, "offset");
	if (xo != yo)
		return (xa ? xo > yo : xo < yo) ? 1 : -1;
	return x->index < y->index ? -1 : x->index > y->index;
}

json_t *reminder_rules(struct work *w, long long atelier)
{
	/* its own rules, each overriding a configured one of the same name */
	json_t *own = db_rows_json(
	    w->db,
	    db_query(
		w->db, &w->err,
		"SELECT name, offset_seconds AS offset, after_end AS after, audience, template,"
		" 'own' AS source FROM reminder_rule WHERE atelier_id = ?",
		"I", atelier),
	    &w->err);
	json_t *off =
	    own ? db_rows_json(w->db,
			       db_query(w->db, &w->err,
					"SELECT name FROM reminder_off WHERE atelier_id = ?", "I",
					atelier),
			       &w->err)
		: NULL;
	json_t *from = off ? db_row(w->db,
				    db_query(w->db, &w->err,
					     "SELECT configured_rules_from AS since FROM atelier"
					     " WHERE id = ?",
					     "I", atelier),
				    &w->err)
			   : NULL;
	if (!from && off && w->err.code == ADF_E_NOT_FOUND)
		from = json_object();
	if (!from) {
		json_decref(own);
		json_decref(off);
		return NULL;
	}
	json_t *rules = json_array();
	size_t i, j;
	json_t *rule, *o;
	const struct settings *cfg = &w->adfd->cfg;
	for (size_t k = 0; k < cfg->reminders_len; k++) {
		const struct reminder_setting *r = &cfg->reminders[k];
		bool overridden = false;
		json_array_foreach(own, i, rule) overridden |=
		    !strcmp(json_str(rule, "name"), r->name);
		if (overridden)
			continue;
		char audience[80];
		audience_words(r->audience, audience, sizeof audience);
		json_t *c = json_pack("{s:s,s:I,s:b,s:s,s:s,s:s}", "name", r->name, "offset",
				      (json_int_t)r->offset, "after", r->after, "audience",
				      audience, "template", r->template, "source", "configured");
		/* configured rules given back to an Atelier that had its own:
		 * their moments before that were not due */
		if (json_str(from, "since"))
			json_object_set(c, "since", json_object_get(from, "since"));
		json_array_append_new(rules, c);
	}
	/* sqlite's 0 or 1, as JSON's false or true */
	json_array_foreach(own, i, rule)
	{
		json_object_set_new(rule, "after", json_boolean(json_int(rule, "after")));
		json_array_append(rules, rule);
	}
	json_array_foreach(rules, i, rule)
	{
		bool disabled = false;
		json_array_foreach(off, j, o) disabled |=
		    !strcmp(json_str(o, "name"), json_str(rule, "name"));
		json_object_set_new(rule, "disabled", json_boolean(disabled));
	}
	json_decref(own);
	json_decref(off);
	json_decref(from);
	size_t n = json_array_size(rules);
	struct ranked *items = calloc(n ? n : 1, sizeof *items);
	if (!items) {
		json_decref(rules);
		work_fail(w, ADF_E_INTERNAL, "out of memory");
		return NULL;
	}
	for (size_t k = 0; k < n; k++)
		items[k] = (struct ranked){json_incref(json_array_get(rules, k)), k};
	qsort(items, n, sizeof *items, rule_order);
	json_array_clear(rules);
	for (size_t k = 0; k < n; k++)
		json_array_append_new(rules, items[k].rule);
	free(items);
	return rules;
}

/* Switches a rule of the Atelier off, or on again (a configured one, or
 * one of its own). */
json_t *reminder_switch(struct work *w, long long atelier, const char *name, bool on)
{
	if (!work_found(atelier_get(w, atelier)))
		return NULL;
	snprintf(w->target, sizeof w->target, "atelier:%lld", atelier);
	json_t *rules = reminder_rules(w, atelier);
	if (!rules)
		return NULL;
	bool known = false;
	size_t i;
	json_t *rule;
	json_array_foreach(rules, i, rule) known |= !strcmp(json_str(rule, "name"), name);
	json_decref(rules);
	if (!known) {
		work_fail(w, ADF_E_NOT_FOUND, "Atelier %lld has no mail rule \"%s\"", atelier,
			  name);
		return NULL;
	}
	char now[INSTANT_LEN];
	instant_format((long long)time(NULL), now);
	if ((on ? db_exec(w->db, &w->err,
			  "DELETE FROM reminder_off WHERE atelier_id = ? AND name = ?", "Is",
			  atelier, name)
		: db_exec(w->db, &w->err,
			  "INSERT INTO reminder_off (atelier_id, name, at) VALUES (?, ?, ?)"
			  " ON CONFLICT DO NOTHING",
			  "Iss", atelier, name, now)) < 0)
		return NULL;
	return reminder_list(w, atelier);
}

int reminder_audience(json_t *rule)
{
	char words[80];
	snprintf(words, sizeof words, "%s", json_str(rule, "audience") ?: "");
	int bits = 0;
	for (char *save, *word = strtok_r(words, ",", &save); word;
	     word = strtok_r(NULL, ",", &save))
		bits |= audience_bit(word);
	/* before the Atelier, registrants are those still to come: someone
	 * checked in (a walk-in, the door open early) is in the room */
	if (json_is_false(json_object_get(rule, "after")) && (bits & AUDIENCE_REGISTRANTS))
		bits = (bits & ~AUDIENCE_REGISTRANTS) | AUDIENCE_NOSHOWS;
	return bits;
}

time_t reminder_atelier_ends(struct work *w, json_t *atelier, time_t starts)
{
	const char *date = json_str(atelier, "date"),
		   *end = json_str(atelier, "end") ?: json_str(atelier, "end_time");
	char ends[INSTANT_LEN];
	if (date && end && paris_to_utc(date, end, ends) == 0)
		return (time_t)instant_parse(ends);
	return starts + (time_t)w->adfd->cfg.default_duration * 60;
}

/* The reminders the next days will bring, rendered, to whom. */
static int by_due(const void *a, const void *b)
{
	int c = strcmp(json_str(*(json_t *const *)a, "due_at"),
		       json_str(*(json_t *const *)b, "due_at"));
	return c ? c
		 : strcmp(json_str(*(json_t *const *)a, "to"), json_str(*(json_t *const *)b, "to"));
}

json_t *reminder_upcoming(struct work *w, long long days)
{
	time_t now = time(NULL), until = now + (time_t)days * 86400;
	char from[INSTANT_LEN], to[INSTANT_LEN];
	/* an Atelier whose reminder falls inside, or whose mails after it do */
	instant_format((long long)now - 31 * 86400, from);
	instant_format((long long)until + 366 * 86400, to);
	sqlite3_stmt *st = db_query(w->db, &w->err,
				    "SELECT id, starts_at FROM atelier WHERE status IN"
				    " ('scheduled', 'held') AND starts_at > ? AND starts_at <= ?"
				    " ORDER BY starts_at",
				    "ss", from, to);
	json_t *ateliers = json_array();
	int rc;
	while (st && (rc = db_step(w->db, st, &w->err)) == 1)
		json_array_append_new(ateliers, db_row_json(st));
	if (!st || rc < 0) {
		json_decref(ateliers);
		return NULL;
	}
	json_t *upcoming = json_array();
	size_t i, j;
	json_t *a, *rule;
	rc = 0;
	json_array_foreach(ateliers, i, a)
	{
		long long aid = json_integer_value(json_object_get(a, "id"));
		time_t starts = (time_t)instant_parse(json_str(a, "starts_at"));
		json_t *rules = reminder_rules(w, aid);
		json_t *atelier = rules ? atelier_get(w, aid) : NULL;
		json_array_foreach(rules, j, rule)
		{
			time_t offset = (time_t)json_integer_value(json_object_get(rule, "offset"));
			bool after = json_is_true(json_object_get(rule, "after"));
			time_t due = after ? reminder_atelier_ends(w, atelier, starts) + offset
					   : starts - offset;
			if (due <= now || due > until ||
			    json_is_true(json_object_get(rule, "disabled")))
				continue;
			const struct template *t =
			    template_find(&w->adfd->templates, json_str(rule, "template"));
			/* once the door checked someone in, who came and who did not
			 * are known; before, those registered, "depending on
			 * attendance" (no-shows hear nothing if nobody is checked in) */
			int audience = reminder_audience(rule);
			bool depends = false;
			if (after && (audience & (AUDIENCE_ATTENDEES | AUDIENCE_NOSHOWS))) {
				long long present = db_scalar(
				    w->db, &w->err,
				    "SELECT count(*) FROM registration WHERE atelier_id = ?"
				    " AND status = 'attended'",
				    "I", aid);
				if (present < 0) {
					rc = -1;
					break;
				}
				depends = present == 0;
				if (depends)
					audience =
					    (audience & AUDIENCE_SPEAKERS) | AUDIENCE_REGISTRANTS;
			}
			json_t *people = recipients_of(w, aid, NULL, audience, NULL, -1);
			const char *key;
			json_t *p;
			char when[INSTANT_LEN];
			instant_format((long long)due, when);
			json_object_foreach(people, key, p)
			{
				/* the link's secret is not shown: upcoming is for readers
				 * too, and the link's place in the text is what matters */
				char cancel[300];
				bool link = registration_cancel_url(
				    w, json_integer_value(json_object_get(p, "registration")),
				    cancel, sizeof cancel);
				char *secret = link ? strstr(cancel, "/annulation/") : NULL;
				if (secret)
					snprintf(secret, sizeof cancel - (size_t)(secret - cancel),
						 "/annulation/…");
				json_t *vars = mail_vars(w, atelier, p, 0, link ? cancel : NULL);
				char delay[64];
				reminder_delay_fr(
				    json_integer_value(json_object_get(rule, "offset")), delay,
				    sizeof delay);
				json_object_set_new(vars, "reminder.delay_fr", json_string(delay));
				char *subject = NULL, *body = NULL;
				if (t)
					template_render(t, vars, &subject, &body);
				/* a speaker gets it whoever came */
				bool speaker =
				    !json_integer_value(json_object_get(p, "registration"));
				json_array_append_new(
				    upcoming,
				    json_pack("{s:s,s:I,s:s,s:O,s:s?,s:s?,s:b}", "due_at", when,
					      "atelier", (json_int_t)aid, "rule",
					      json_str(rule, "name"), "to",
					      json_object_get(p, "email"), "subject", subject,
					      "body", body, "if_attendance", depends && !speaker));
				free(subject);
				free(body);
				json_decref(vars);
			}
			json_decref(people);
		}
		json_decref(atelier);
		json_decref(rules);
		if (rc < 0)
			break;
	}
	json_decref(ateliers);
	if (rc < 0) {
		json_decref(upcoming);
		return NULL;
	}
	/* in the order they will go */
	size_t n = json_array_size(upcoming);
	json_t **items = calloc(n ? n : 1, sizeof *items);
	for (size_t k = 0; items && k < n; k++)
		items[k] = json_incref(json_array_get(upcoming, k));
	if (items) {
		qsort(items, n, sizeof *items, by_due);
		json_array_clear(upcoming);
		for (size_t k = 0; k < n; k++)
			json_array_append_new(upcoming, items[k]);
	}
	free(items);
	return upcoming;
}

json_t *reminder_preview(struct work *w, const char *template, long long atelier_id)
{
	const struct template *t = template_find(&w->adfd->templates, template);
	if (!t) {
		work_fail(w, ADF_E_NOT_FOUND, "no template \"%s\"", template);
		return NULL;
	}
	json_t *atelier = atelier_get(w, atelier_id);
	if (!atelier)
		return NULL;
	char example[300];
	snprintf(example, sizeof example, "%s/annulation/…",
		 w->adfd->cfg.http_base_url ? w->adfd->cfg.http_base_url : "");
	json_t *example_person = json_pack("{s:s,s:s,s:s}", "name", "Marie Dupont", "first_name",
					   "Marie", "last_name", "Dupont");
	json_t *vars =
	    mail_vars(w, atelier, example_person, 3, w->adfd->cfg.http_port ? example : NULL);
	json_decref(example_person);
	/* what a reminder or a change notice would say: the first rule using
	 * the template gives the delay, the Atelier itself the day before */
	json_t *rules = reminder_rules(w, atelier_id);
	long long offset = 7 * 86400;
	size_t i;
	json_t *rule;
	json_array_foreach(rules, i, rule) if (!strcmp(json_str(rule, "template"), template))
	{
		offset = json_integer_value(json_object_get(rule, "offset"));
		break;
	}
	json_decref(rules);
	char delay[64], place[420];
	reminder_delay_fr(offset, delay, sizeof delay);
	snprintf(place, sizeof place, "%s, %s",
		 json_str(atelier, "venue") ? json_str(atelier, "venue") : "",
		 json_str(atelier, "city") ? json_str(atelier, "city") : "");
	json_object_set_new(vars, "reminder.delay_fr", json_string(delay));
	char promise[160];
	if (reminder_promise_fr(w, atelier, "confirmed", promise, sizeof promise) < 0) {
		json_decref(vars);
		json_decref(atelier);
		return NULL;
	}
	json_object_set_new(vars, "reminder.promise_fr", json_string(promise));
	json_object_set_new(
	    vars, "change.was_when_fr",
	    json_string(json_str(atelier, "when_fr") ? json_str(atelier, "when_fr") : ""));
	json_object_set_new(vars, "change.was_place", json_string(place));
	char *subject, *body;
	int rc = template_render(t, vars, &subject, &body);
	json_decref(vars);
	json_decref(atelier);
	if (rc < 0) {
		work_fail(w, ADF_E_INTERNAL, "out of memory");
		return NULL;
	}
	char *content = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&content, &len);
	if (f) {
		fprintf(f, "Subject: %s\n\n%s", subject, body);
		fclose(f);
	}
	json_t *preview =
	    json_pack("{s:s,s:s,s:s?}", "subject", subject, "body", body, "content", content);
	free(subject);
	free(body);
	free(content);
	return preview;
}

json_t *reminder_set(struct work *w, long long atelier, const char *name, const char *offset_text,
		     bool after, const char *template, const char *audience)
{
	if (!work_found(atelier_get(w, atelier)))
		return NULL;
	snprintf(w->target, sizeof w->target, "atelier:%lld", atelier);
	long offset = offset_parse(offset_text);
	if (offset < 0 || (after && offset > 30 * 86400)) {
		work_fail(w, ADF_E_BAD_REQUEST,
			  "%s: \"%s\" is not like \"7d\", \"12h\", \"90m\" or \"30s\" (at most "
			  "a year before, 30 days after)",
			  after ? "after" : "offset", offset_text);
		return NULL;
	}
	if (!template_find(&w->adfd->templates, template)) {
		work_fail(w, ADF_E_NOT_FOUND, "no template \"%s\"", template);
		return NULL;
	}
	audience = audience ? audience : after ? "attendees,speakers" : "registrants,speakers";
	json_t *probe = json_pack("{s:s}", "audience", audience);
	int bits = reminder_audience(probe);
	json_decref(probe);
	/* every word known, and those present or not only after the day */
	char words[80];
	audience_words(bits, words, sizeof words);
	bool known = strlen(words) == strlen(audience) && bits && !(bits & AUDIENCE_WAITLISTED);
	if (!known || (!after && (bits & (AUDIENCE_ATTENDEES | AUDIENCE_NOSHOWS)))) {
		work_fail(w, ADF_E_BAD_REQUEST,
			  "audience: registrants, speakers or both before the Atelier; after it "
			  "also attendees (checked in) and noshows (registered, not come)");
		return NULL;
	}
	if (db_exec(w->db, &w->err,
		    "INSERT INTO reminder_rule (atelier_id, name, offset_seconds, after_end,"
		    " audience, template) VALUES (?1, ?2, ?3, ?4, ?5, ?6)"
		    " ON CONFLICT (atelier_id, name) DO UPDATE SET offset_seconds = ?3,"
		    " after_end = ?4, audience = ?5, template = ?6",
		    "IsIiss", atelier, name, (long long)offset, after ? 1 : 0, words, template) < 0)
		return NULL;
	return reminder_rules(w, atelier);
}

json_t *reminder_clear(struct work *w, long long atelier)
{
	if (!work_found(atelier_get(w, atelier)))
		return NULL;
	snprintf(w->target, sizeof w->target, "atelier:%lld", atelier);
	if (db_exec(w->db, &w->err, "DELETE FROM reminder_rule WHERE atelier_id = ?", "I",
		    atelier) < 0 ||
	    db_exec(w->db, &w->err, "DELETE FROM reminder_off WHERE atelier_id = ?", "I", atelier) <
		0)
		return NULL;
	return reminder_rules(w, atelier);
}

json_t *reminder_list(struct work *w, long long atelier)
{
	if (!work_found(atelier_get(w, atelier)))
		return NULL;
	json_t *rules = reminder_rules(w, atelier);
	if (!rules)
		return NULL;
	/* a moment already handled says how: queued, skipped, or not due */
	size_t i;
	json_t *rule;
	json_array_foreach(rules, i, rule)
	{
		json_t *run = db_row(w->db,
				     db_query(w->db, &w->err,
					      "SELECT due_at, outcome FROM reminder_run"
					      " WHERE atelier_id = ? AND rule = ?",
					      "Is", atelier, json_str(rule, "name")),
				     &w->err);
		if (!run && w->err.code != ADF_E_NOT_FOUND) {
			json_decref(rules);
			return NULL;
		}
		json_object_update(rule, run);
		json_decref(run);
	}
	return rules;
}

static void span_fr(long long offset, bool before, char *out, size_t n);

int reminder_promise_fr(struct work *w, json_t *atelier, const char *status, char *out, size_t n)
{
	out[0] = '\0';
	/* who is already in, or waits for a seat, is promised nothing */
	if (!atelier || (status && strcmp(status, "confirmed")))
		return 0;
	json_t *rules = reminder_rules(w, json_integer_value(json_object_get(atelier, "id")));
	if (!rules)
		return -1;
	time_t now = time(NULL), starts = (time_t)instant_parse(json_str(atelier, "starts_at"));
	long long next = -1;
	size_t i;
	json_t *rule;
	json_array_foreach(rules, i, rule)
	{
		long long offset = json_int(rule, "offset");
		if (json_is_true(json_object_get(rule, "after")) ||
		    json_is_true(json_object_get(rule, "disabled")) ||
		    !(reminder_audience(rule) & (AUDIENCE_REGISTRANTS | AUDIENCE_NOSHOWS)) ||
		    starts - offset <= now)
			continue;
		/* the first to come is the nearest to now: the largest offset */
		if (offset > next)
			next = offset;
	}
	json_decref(rules);
	if (next > 0) {
		char ahead[80];
		span_fr(next, true, ahead, sizeof ahead);
		snprintf(out, n, "Vous recevrez un rappel %s.", ahead);
	}
	return 0;
}

/* A delay as a reminder says it ("dans 7 jours", "demain", "dans 1 h 30")
 * or as a promise does (before: "7 jours avant la rencontre", "la veille
 * de la rencontre", "1 h 30 avant la rencontre"); never rounded to a
 * delay the rule does not have. */
static void span_fr(long long offset, bool before, char *out, size_t n)
{
	long long days = (offset + 43200) / 86400, minutes = (offset + 30) / 60,
		  hours = minutes / 60, rest = minutes % 60;
	const char *pre = before ? "" : "dans ", *post = before ? " avant la rencontre" : "";
	if (offset >= 2 * 86400 - 43200)
		snprintf(out, n, "%s%lld jours%s", pre, days, post);
	else if (offset >= 20 * 3600)
		snprintf(out, n, "%s", before ? "la veille de la rencontre" : "demain");
	else if (hours >= 1 && rest)
		snprintf(out, n, "%s%lld h %02lld%s", pre, hours, rest, post);
	else if (hours > 1)
		snprintf(out, n, "%s%lld heures%s", pre, hours, post);
	else if (hours == 1)
		snprintf(out, n, "%s%s", before ? "1 heure" : "dans une heure", post);
	else if (minutes > 1)
		snprintf(out, n, "%s%lld minutes%s", pre, minutes, post);
	else
		snprintf(out, n, "%s",
			 before		? "1 minute avant la rencontre"
			 : minutes == 1 ? "dans une minute"
					: "dans un instant");
}

void reminder_delay_fr(long long offset, char *out, size_t n)
{
	span_fr(offset, false, out, n);
}
