#include "config.h"

#include <event2/event.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "atelier.h"
#include "date.h"
#include "db.h"
#include "ical.h"
#include "log.h"
#include "mailer.h"
#include "outbox.h"
#include "programme.h"
#include "recipients.h"
#include "registration.h"
#include "reminder.h"
#include "scheduler.h"
#include "text.h"
#include "work.h"

/* Wakes at least this often, so that a clock change or a suspend cannot
 * make it miss a moment for long. */
#define MAX_SLEEP 60
/* A change wakes the planner this long after it: the changes of a burst of
 * requests are planned in one transaction. */
#define KICK_DELAY_USEC 50000
/* Messages rendered in one tick, and the time it may take: ten thousand
 * reminders come in chunks, and the loop answers requests between them.
 * A message with a long programme costs up to 1 ms to render. */
#define TICK_BUDGET 50
#define TICK_SLICE 0.015 /* seconds */
#define TICK_MIN 5
/* Between the chunks of a burst, the requests that came meanwhile. */
#define CONTINUE_DELAY_USEC 3000
#define EVENTS_BATCH 200
/* A mail after the Atelier is sent up to this long after it was due (adfd
 * down meanwhile); later it would thank people for a day long gone. */
#define FOLLOWUP_GRACE (2 * 86400)

static int budget;	    /* messages this tick may still render */
static double tick_started; /* monotonic seconds */
static bool out_of_budget;  /* some were left for the next tick */

static double monotonic(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

#define parse_utc(s) ((time_t)instant_parse(s))
#define format_utc(t, out) instant_format((long long)(t), out)

/* One personal message about an Atelier, with its invitation; extra: more
 * template variables (NULL: none). Someone on the waiting list has no seat
 * yet: no invitation goes to their calendar. */
static int queue_for(struct work *ctx, json_t *atelier, json_t *person, const char *dedupe,
		     const char *kind, const char *template, const char *ics_kind,
		     const char *state, const char *note, json_t *extra)
{
	if (json_integer_value(json_object_get(person, "position")) > 0)
		ics_kind = NULL;
	const struct settings *cfg = &ctx->adfd->cfg;
	int queued_before = outbox_queued(ctx->db, &ctx->err, dedupe);
	if (queued_before != 0)
		return queued_before < 0 ? -1 : 0;
	/* a few at least, so that each tick moves on whatever came before */
	if (budget <= 0 ||
	    (TICK_BUDGET - budget >= TICK_MIN && monotonic() - tick_started > TICK_SLICE)) {
		out_of_budget = true;
		return 0;
	}
	budget--;
	/* a registrant's mail carries their cancel link, unless it tells of
	 * the cancellation itself */
	char cancel[300];
	bool link = strcmp(kind, "cancelled") && strcmp(kind, "atelier-cancelled") &&
		    strcmp(kind, "followup") &&
		    registration_cancel_url(
			ctx, json_integer_value(json_object_get(person, "registration")), cancel,
			sizeof cancel);
	json_t *vars =
	    mail_vars(ctx, atelier, person, json_integer_value(json_object_get(person, "position")),
		      link ? cancel : NULL);
	if (vars && extra)
		json_object_update(vars, extra);
	/* a speaker has no registration to cancel */
	if (vars && !json_integer_value(json_object_get(person, "registration")))
		json_object_set_new(vars, "registration.cancel_hint", json_string(""));
	/* who came is asked for their opinion, after the day */
	char survey[300], ask[400];
	if (vars && !strcmp(kind, "followup") &&
	    registration_survey_url(ctx,
				    json_integer_value(json_object_get(person, "registration")),
				    survey, sizeof survey)) {
		snprintf(ask, sizeof ask, "Votre avis en deux minutes, anonyme : %s", survey);
		json_object_set_new(vars, "registration.survey_hint", json_string(ask));
	}
	char *ics = NULL;
	if (ics_kind) {
		struct ical_invite invite = {.cancel = !strcmp(ics_kind, "CANCEL"),
					     .organizer = cfg->mail_from,
					     .organizer_name = cfg->mail_from_name,
					     .attendee = json_str(person, "email")};
		json_t *one = json_pack("[O]", atelier);
		ics = ical_calendar(ctx, one, "Les Ateliers des Départements de France", false,
				    &invite);
		json_decref(one);
		if (!ics) {
			json_decref(vars);
			return -1;
		}
	}
	struct outbox_msg m = {.dedupe_key = dedupe,
			       .kind = kind,
			       .atelier = json_integer_value(json_object_get(atelier, "id")),
			       .to = json_str(person, "email"),
			       .to_name = json_str(person, "name"),
			       .template = template,
			       .vars = vars,
			       .ics = ics,
			       .ics_method = ics_kind,
			       .state = state,
			       .note = note,
			       .unsubscribe = link ? cancel : NULL};
	bool queued;
	int rc = outbox_queue(ctx, &m, &queued);
	free(ics);
	json_decref(vars);
	return rc;
}

/* Each event not notified yet, a batch at a time: notify_one queues its
 * mail, then the event is marked (mark: a literal UPDATE ... SET
 * notified_at = ? WHERE id = ?). A full batch may mean more. */
static int each_event(struct work *ctx, sqlite3_stmt *st, const char *mark,
		      int (*notify_one)(struct work *ctx, json_t *event))
{
	json_t *events = db_rows_json(ctx->db, st, &ctx->err);
	if (!events)
		return -1;
	int rc = 0;
	size_t i;
	json_t *e;
	char now[21];
	db_now(now);
	json_array_foreach(events, i, e)
	{
		rc = notify_one(ctx, e);
		/* the rest of this event's mail on the next tick */
		if (rc == 0 && out_of_budget)
			break;
		if (rc < 0 || db_exec(ctx->db, &ctx->err, mark, "sI", now,
				      json_integer_value(json_object_get(e, "id"))) < 0) {
			rc = -1;
			break;
		}
	}
	if (rc == 0 && json_array_size(events) == EVENTS_BATCH)
		out_of_budget = true;
	json_decref(events);
	return rc;
}

/* Registration events become notices: confirmed, waiting list, promoted,
 * cancelled, registered again. */
static int notify_registration(struct work *ctx, json_t *e)
{
	static const struct {
		const char *kind, *template, *ics;
	} notices[] = {
	    {"confirmed", "inscription-confirmee", "REQUEST"},
	    {"waitlisted", "liste-attente", NULL},
	    {"promoted", "place-liberee", "REQUEST"},
	    {"cancelled", "inscription-annulee", "CANCEL"},
	    /* registered again with the same address: the owner hears it */
	    {"again", "inscription-deja", NULL},
	};
	long long id = json_integer_value(json_object_get(e, "id"));
	const char *kind = json_str(e, "kind");
	json_t *reg =
	    registration_get(ctx, json_integer_value(json_object_get(e, "registration_id")));
	json_t *atelier =
	    reg ? atelier_get(ctx, json_integer_value(json_object_get(reg, "atelier"))) : NULL;
	int rc = atelier ? 0 : -1;
	char dedupe[64];
	/* a cancellation withdraws an invitation only if one was sent: someone
	 * who never had a seat never had it */
	long long seated =
	    !strcmp(kind, "cancelled")
		? db_scalar(ctx->db, &ctx->err,
			    "SELECT count(*) FROM registration_event WHERE"
			    " registration_id = ? AND kind IN ('confirmed', 'promoted')",
			    "I", json_integer_value(json_object_get(reg, "id")))
		: 1;
	if (seated < 0)
		rc = -1;
	for (size_t k = 0; k < sizeof notices / sizeof notices[0] && rc == 0; k++) {
		if (strcmp(notices[k].kind, kind) || json_str(reg, "anonymised_at"))
			continue;
		/* greeted as every mail greets: its civility and name apart */
		json_t *person = json_pack(
		    "{s:O,s:O,s:O?,s:O?,s:O?,s:O?,s:O}", "email", json_object_get(reg, "email"),
		    "name", json_object_get(reg, "name"), "civility",
		    json_object_get(reg, "civility"), "first_name",
		    json_object_get(reg, "first_name"), "last_name",
		    json_object_get(reg, "last_name"), "position", json_object_get(reg, "position"),
		    "registration", json_object_get(reg, "id"));
		snprintf(dedupe, sizeof dedupe, "event:%lld", id);
		/* a seat's notice says which reminder will come, if one will */
		char promise[160];
		rc = reminder_promise_fr(ctx, atelier, json_str(reg, "status"), promise,
					 sizeof promise);
		json_t *extra = json_pack("{s:s}", "reminder.promise_fr", promise);
		if (rc == 0)
			rc = queue_for(ctx, atelier, person, dedupe, kind, notices[k].template,
				       seated ? notices[k].ics : NULL, NULL, NULL, extra);
		json_decref(extra);
		json_decref(person);
	}
	json_decref(atelier);
	json_decref(reg);
	return rc;
}

/* An Atelier moved or cancelled: everyone registered or speaking hears it,
 * with an invitation that updates (higher SEQUENCE) or cancels. */
static int notify_atelier(struct work *ctx, json_t *e)
{
	long long id = json_integer_value(json_object_get(e, "id"));
	long long aid = json_integer_value(json_object_get(e, "atelier_id"));
	const char *kind = json_str(e, "kind");
	bool cancelled = !strcmp(kind, "cancelled");
	/* back after a cancellation: the same people, a notice of its own */
	bool reopened = !strcmp(kind, "reopened");
	json_t *atelier = atelier_get(ctx, aid);
	char unqueued[64], dedupe[300];
	snprintf(unqueued, sizeof unqueued, "atelier-event:%lld:", id);
	json_t *people =
	    atelier ? recipients_of(ctx, aid, NULL,
				    AUDIENCE_REGISTRANTS | AUDIENCE_WAITLISTED | AUDIENCE_SPEAKERS,
				    unqueued, budget + 1)
		    : NULL;
	int rc = people ? 0 : -1;
	/* what it was, beside what it is */
	json_t *before =
	    json_pack("{s:s,s:s}", "change.was_when_fr",
		      json_str(e, "was_when_fr") ? json_str(e, "was_when_fr") : "",
		      "change.was_place", json_str(e, "was_place") ? json_str(e, "was_place") : "");
	const char *key;
	json_t *p;
	json_object_foreach(people, key, p)
	{
		snprintf(dedupe, sizeof dedupe, "atelier-event:%lld:%s", id, json_str(p, "dedupe"));
		if (queue_for(ctx, atelier, p, dedupe,
			      cancelled	 ? "atelier-cancelled"
			      : reopened ? "atelier-reopened"
					 : "moved",
			      cancelled	 ? "atelier-annule"
			      : reopened ? "atelier-reprogramme"
					 : "atelier-deplace",
			      cancelled ? "CANCEL" : "REQUEST", NULL, NULL, before) < 0) {
			rc = -1;
			break;
		}
	}
	json_decref(before);
	json_decref(people);
	json_decref(atelier);
	return rc;
}

/* The events that become notices: the unnotified ones of each table, each
 * marked once its mail is queued (literal texts: the statement cache). */
static const struct {
	const char *select, *mark;
	int (*notify_one)(struct work *ctx, json_t *event);
} events[] = {
    {"SELECT e.id, e.kind, e.registration_id FROM registration_event e"
     " WHERE e.notified_at IS NULL ORDER BY e.id LIMIT ?",
     "UPDATE registration_event SET notified_at = ? WHERE id = ?", notify_registration},
    {"SELECT id, atelier_id, kind, was_when_fr, was_place FROM atelier_event"
     " WHERE notified_at IS NULL ORDER BY id LIMIT ?",
     "UPDATE atelier_event SET notified_at = ? WHERE id = ?", notify_atelier},
};

/* Queues the reminders whose moment has come; returns the next moment to
 * wake for in *next (0 if none). */
static int plan_reminders(struct work *ctx, time_t now, time_t *next)
{
	char now_iso[21], since[21];
	format_utc(now, now_iso);
	/* Ateliers still ahead, and those that started recently (a moment
	 * missed while adfd was down is then recorded as skipped) */
	format_utc(now - 31 * 86400, since);
	sqlite3_stmt *st = db_query(ctx->db, &ctx->err,
				    "SELECT id, starts_at, created_at, date, end_time, status"
				    " FROM atelier WHERE status IN ('scheduled', 'held')"
				    " AND starts_at > ? ORDER BY starts_at",
				    "s", since);
	json_t *ateliers = db_rows_json(ctx->db, st, &ctx->err);
	if (!ateliers)
		return -1;
	int rc;
	*next = 0;
	rc = 0;
	size_t i, j;
	json_t *a, *rule;
	json_array_foreach(ateliers, i, a)
	{
		long long aid = json_integer_value(json_object_get(a, "id"));
		time_t starts = parse_utc(json_str(a, "starts_at"));
		time_t created = parse_utc(json_str(a, "created_at"));
		time_t ends = reminder_atelier_ends(ctx, a, starts);
		bool held = !strcmp(json_str(a, "status"), "held");
		json_t *rules = reminder_rules(ctx, aid);
		if (!rules) {
			rc = -1;
			break;
		}
		json_array_foreach(rules, j, rule)
		{
			const char *name = json_str(rule, "name");
			bool after = json_is_true(json_object_get(rule, "after"));
			time_t offset = (time_t)json_integer_value(json_object_get(rule, "offset"));
			time_t due = after ? ends + offset : starts - offset;
			/* a held Atelier is past: what comes before it is over */
			if (held && !after)
				continue;
			if (due > now) {
				if (!*next || due < *next)
					*next = due;
				continue;
			}
			long long done = db_scalar(ctx->db, &ctx->err,
						   "SELECT count(*) FROM reminder_run WHERE"
						   " atelier_id = ? AND rule = ?",
						   "Is", aid, name);
			if (done != 0) {
				rc = done < 0 ? -1 : 0;
				if (rc < 0)
					break;
				continue;
			}
			char due_iso[21], outcome[120], unqueued[300];
			format_utc(due, due_iso);
			/* a moment that came before the Atelier existed was never due,
			 * nor one of a configured rule before it was given back */
			const char *since = json_str(rule, "since");
			bool before_since = since && due < parse_utc(since);
			bool off = json_is_true(json_object_get(rule, "disabled"));
			bool relevant = due >= created && !before_since && !off;
			/* a reminder after the start is no reminder; a thank-you
			 * days late (adfd was down) is none either */
			bool late = after ? now > due + FOLLOWUP_GRACE : starts <= now;
			int audience = reminder_audience(rule);
			/* who did not come is known only if the door checked people in */
			long long present =
			    after
				? db_scalar(ctx->db, &ctx->err,
					    "SELECT count(*) FROM registration WHERE atelier_id = ?"
					    " AND status = 'attended'",
					    "I", aid)
				: 0;
			if (present < 0) {
				rc = -1;
				break;
			}
			bool unknown = after && present == 0 && (audience & AUDIENCE_NOSHOWS);
			if (unknown)
				audience &= ~AUDIENCE_NOSHOWS;
			json_t *people = NULL;
			/* the key prefix bounds the count below, relevant or not */
			snprintf(unqueued, sizeof unqueued, "reminder:%lld:%s:", aid, name);
			if (relevant) {
				people = recipients_of(ctx, aid, after ? NULL : due_iso, audience,
						       unqueued, budget + 1);
				if (!people) {
					rc = -1;
					break;
				}
			}
			json_t *atelier = relevant ? atelier_get(ctx, aid) : NULL;
			char delay[64];
			reminder_delay_fr(json_integer_value(json_object_get(rule, "offset")),
					  delay, sizeof delay);
			json_t *when = json_pack("{s:s}", "reminder.delay_fr", delay);
			const char *key;
			json_t *p;
			char dedupe[300];
			json_object_foreach(people, key, p)
			{
				if (rc < 0)
					break;
				snprintf(dedupe, sizeof dedupe, "reminder:%lld:%s:%s", aid, name,
					 json_str(p, "dedupe"));
				rc = queue_for(
				    ctx, atelier, p, dedupe, after ? "followup" : "reminder",
				    json_str(rule, "template"), after ? NULL : "REQUEST",
				    late ? "skipped" : "pending",
				    !late   ? NULL
				    : after ? "adfd was down when it was due, days ago"
					    : "the Atelier had begun when adfd could send it",
				    when);
			}
			json_decref(when);
			json_decref(people);
			json_decref(atelier);
			if (out_of_budget)
				break;
			/* planned in chunks: the outbox counts them all */
			/* the prefix ends with ':'; every key after it sorts before ';' */
			char upto[300];
			snprintf(upto, sizeof upto, "%s", unqueued);
			upto[strlen(upto) - 1] = ';';
			long long planned =
			    relevant && rc == 0
				? outbox_count_keys(ctx->db, &ctx->err, unqueued, upto)
				: 0;
			if (planned < 0)
				rc = -1;
			snprintf(outcome, sizeof outcome, "%s%s %lld",
				 unknown ? "nobody was checked in, no mail to no-shows; " : "",
				 off ? "switched off for this Atelier:"
				 : before_since
				     ? "not due while the Atelier had its own rules only:"
				 : !relevant	 ? "not due while the Atelier existed:"
				 : late && after ? "skipped, due days ago:"
				 : late		 ? "skipped, the Atelier had begun:"
						 : "queued:",
				 planned);
			if (late && relevant && !after)
				log_warning(
				    "reminder %s of Atelier %lld was due at %s, while adfd was "
				    "down; the Atelier has begun: %lld marked skipped",
				    name, aid, due_iso, planned);
			if (rc == 0)
				rc = db_exec(ctx->db, &ctx->err,
					     "INSERT INTO reminder_run (atelier_id, rule, due_at,"
					     " handled_at, outcome) VALUES (?, ?, ?, ?, ?)",
					     "Issss", aid, name, due_iso, now_iso, outcome) < 0
					 ? -1
					 : 0;
			if (rc < 0)
				break;
		}
		json_decref(rules);
		if (rc < 0 || out_of_budget)
			break;
	}
	json_decref(ateliers);
	return rc;
}

static void arm(struct adfd *d, time_t seconds)
{
	struct timeval tv = {seconds < 0 ? 0 : seconds > MAX_SLEEP ? MAX_SLEEP : seconds, 0};
	event_add(d->scheduler_timer, &tv);
}

static void tick(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	struct adfd *d = arg;
	struct work ctx;
	work_init(&ctx, d);
	budget = TICK_BUDGET;
	tick_started = monotonic();
	out_of_budget = false;
	programme_memo_begin();
	time_t now = time(NULL), next = 0;
	/* its writes are planned mail: WORK_MAILED, never WORK_CHANGED, or it
	 * would wake itself */
	int rc = work_begin(&ctx);
	/* Beginning commits the socket's open group first, and that commit
	 * kicks this planner: this run sees those changes, so the kick is
	 * spent only now. Spent before, the kick left the flag up while the
	 * arm() below pushed its timer a minute away, and every change of
	 * that minute went unplanned (a lost wake-up, seen under load). */
	d->scheduler_kicked = false;
	if (rc == 0)
		for (size_t i = 0; rc == 0 && i < sizeof events / sizeof events[0]; i++)
			rc = each_event(
			    &ctx, db_query(d->db, &ctx.err, events[i].select, "i", EVENTS_BATCH),
			    events[i].mark, events[i].notify_one);
	if (rc == 0)
		rc = plan_reminders(&ctx, now, &next);
	ctx.events |= WORK_MAILED;
	if (work_end(&ctx, rc, 0, NULL) < 0)
		log_error("mail planning: %s", ctx.err.message);
	programme_memo_end();
	mailer_kick(d);
	/* the rest on the next turn of the loop, after the requests waiting */
	if (out_of_budget && rc == 0) {
		struct timeval pause = {0, CONTINUE_DELAY_USEC};
		event_add(d->scheduler_timer, &pause);
	} else {
		time_t wait = rc < 0 ? 1 /* the database was busy: soon again */
			      : next && next - now < MAX_SLEEP ? next - now
							       : MAX_SLEEP;
		/* the tests wait for this line, never a fixed time */
		log_debug("mail planning: done, next in %lld s", (long long)(wait > 0 ? wait : 0));
		arm(d, wait);
	}
}

int scheduler_start(struct adfd *d)
{
	d->scheduler_timer = evtimer_new(d->base, tick, d);
	if (!d->scheduler_timer)
		return -1;
	arm(d, 0);
	return 0;
}

void scheduler_stop(struct adfd *d)
{
	if (d->scheduler_timer)
		event_free(d->scheduler_timer);
	d->scheduler_timer = NULL;
}

void scheduler_kick(struct adfd *d)
{
	if (!d->scheduler_timer || d->scheduler_kicked)
		return;
	d->scheduler_kicked = true;
	struct timeval tv = {0, KICK_DELAY_USEC};
	event_add(d->scheduler_timer, &tv);
}
