/* Tour planning: one date a month from a monthly rule, through libical's
 * RRULE iterator, moved off French public holidays. */
#include "config.h"

#include <libical/ical.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "atelier.h"
#include "date.h"
#include "db.h"
#include "paris.h"
#include "tour.h"
#include "work.h"

static const struct {
	const char *word;
	int pos; /* BYDAY position: 1..4, -1 for the last */
} ordinals[] = {
    {"first", 1},     {"1st", 1},	{"premier", 1},	  {"première", 1}, {"1er", 1},
    {"1re", 1},	      {"second", 2},	{"2nd", 2},	  {"deuxième", 2}, {"2e", 2},
    {"third", 3},     {"3rd", 3},	{"troisième", 3}, {"3e", 3},	   {"fourth", 4},
    {"4th", 4},	      {"quatrième", 4}, {"4e", 4},	  {"last", -1},	   {"dernier", -1},
    {"dernière", -1},
};
static const struct {
	const char *en, *fr, *ical;
} weekdays[] = {
    {"monday", "lundi", "MO"},	  {"tuesday", "mardi", "TU"},	{"wednesday", "mercredi", "WE"},
    {"thursday", "jeudi", "TH"},  {"friday", "vendredi", "FR"}, {"saturday", "samedi", "SA"},
    {"sunday", "dimanche", "SU"},
};

/* "last wednesday" / "dernier mercredi" -> "FREQ=MONTHLY;BYDAY=-1WE". */
static int rule_to_rrule(const char *rule, char *out, size_t n)
{
	char first[32], second[32], extra[2];
	if (sscanf(rule, "%31s %31s %1s", first, second, extra) != 2)
		return -1;
	int pos = 0;
	const char *day = NULL;
	for (size_t i = 0; i < sizeof ordinals / sizeof ordinals[0]; i++)
		if (strcasecmp(first, ordinals[i].word) == 0)
			pos = ordinals[i].pos;
	for (size_t i = 0; i < sizeof weekdays / sizeof weekdays[0]; i++)
		if (strcasecmp(second, weekdays[i].en) == 0 ||
		    strcasecmp(second, weekdays[i].fr) == 0)
			day = weekdays[i].ical;
	if (!pos || !day)
		return -1;
	snprintf(out, n, "FREQ=MONTHLY;BYDAY=%d%s", pos, day);
	return 0;
}

static bool is_working_day(int y, int m, int d)
{
	int wd = day_of_week(y, m, d);
	return wd != 0 && wd != 6 && !holiday_name(y, m, d);
}

/* A holiday moves the date by a week, keeping the weekday, while that stays
 * in the month; failing that, to the nearest working day of the month. */
static void move_off_holiday(int y, int m, int *d)
{
	static const int shifts[] = {-7, 7, 1, -1, 2, -2, 3, -3, 4, -4};
	for (size_t i = 0; i < sizeof shifts / sizeof shifts[0]; i++) {
		int nd = *d + shifts[i];
		/* a week away is the same weekday, a Saturday's too; else the
		 * nearest working day */
		bool fits = shifts[i] == 7 || shifts[i] == -7 ? !holiday_name(y, m, nd)
							      : is_working_day(y, m, nd);
		if (nd >= 1 && nd <= days_in_month(y, m) && fits) {
			*d = nd;
			return;
		}
	}
}

static int month_taken(struct work *w, long long cycle, const char *month)
{
	return (int)db_scalar(w->db, &w->err,
			      "SELECT count(*) FROM atelier WHERE cycle_id = ?"
			      " AND status <> 'cancelled' AND substr(date, 1, 7) = ?",
			      "Is", cycle, month);
}

/* What tour plan was asked, and the days it proposes. */
struct plan {
	long long cycle;
	const char *time;
	bool apply, force;
	json_t *days;
};

static int propose(struct work *w, const struct plan *plan, int y, int m, int d)
{
	long long cycle = plan->cycle;
	bool apply = plan->apply, force = plan->force;
	char month[8], date[11], buf[128], was[11] = "";
	snprintf(month, sizeof month, "%04d-%02d", y, m);
	int taken = month_taken(w, cycle, month);
	if (taken < 0)
		return -1;
	if (taken > 0)
		return 0;
	const char *holiday = holiday_name(y, m, d);
	if (holiday) {
		int moved = d;
		move_off_holiday(y, m, &moved);
		snprintf(was, sizeof was, "%04d-%02d-%02d", y, m, d);
		d = moved;
	}
	snprintf(date, sizeof date, "%04d-%02d-%02d", y, m, d);
	/* a day already past is shown, never created unawares */
	char today[11];
	paris_today(today);
	bool past = strcmp(date, today) < 0;
	const char *time = plan->time;
	datetime_fr(buf, sizeof buf, date, time);
	json_t *p = json_pack("{s:s,s:s,s:s,s:s}", "month", month, "date", date, "time", time,
			      "when_fr", buf);
	/* a note with its template, so that adfctl says it in French */
	struct adf_error note = {0};
	enum {
		NOT_PAST,
		PAST,
		CREATED,
		NOT_CREATED
	} when = !past	  ? NOT_PAST
		 : !apply ? PAST
		 : force  ? CREATED
			  : NOT_CREATED;
	if (holiday && when == NOT_PAST)
		adf_fail(&note, ADF_OK, "moved from %s (%s)", was, holiday);
	else if (holiday && when == PAST)
		adf_fail(&note, ADF_OK, "moved from %s (%s); past", was, holiday);
	else if (holiday && when == CREATED)
		adf_fail(&note, ADF_OK, "moved from %s (%s); past: created (forced)", was, holiday);
	else if (holiday)
		adf_fail(&note, ADF_OK, "moved from %s (%s); past: not created (use force)", was,
			 holiday);
	else if (when == PAST)
		adf_fail(&note, ADF_OK, "past");
	else if (when == CREATED)
		adf_fail(&note, ADF_OK, "past: created (forced)");
	else if (when == NOT_CREATED)
		adf_fail(&note, ADF_OK, "past: not created (use force)");
	if (note.format) {
		json_t *e = proto_error_json(&note);
		json_object_set(p, "note", json_object_get(e, "message"));
		json_object_set(p, "note_format", json_object_get(e, "format"));
		json_object_set(p, "note_values", json_object_get(e, "values"));
		json_decref(e);
	}
	if (apply && (!past || force)) {
		json_t *fields = json_pack("{s:I,s:s,s:s}", "cycle", (json_int_t)cycle, "date",
					   date, "time", time);
		long long id;
		int rc = atelier_create(w, fields, "draft", force, &id, NULL);
		json_decref(fields);
		if (rc < 0) {
			json_decref(p);
			return -1;
		}
		json_object_set_new(p, "atelier", json_integer(id));
	}
	json_array_append_new(plan->days, p);
	return 0;
}

json_t *tour_plan(struct work *w, long long cycle, const char *rule, const char *time, bool apply,
		  bool force)
{
	char rrule[64], first[8], last[8];
	if (rule_to_rrule(rule, rrule, sizeof rrule) < 0) {
		work_fail(w, ADF_E_BAD_REQUEST,
			  "rule: \"%s\" is not a monthly rule: say \"last wednesday\", "
			  "\"2nd thursday\", \"premier lundi\"...",
			  rule);
		return NULL;
	}
	json_t *row =
	    work_row(w,
		     db_query(w->db, &w->err,
			      "SELECT first_month, last_month FROM cycle WHERE id = ?", "I", cycle),
		     "no cycle %lld", cycle);
	if (!row)
		return NULL;
	snprintf(first, sizeof first, "%s", json_string_value(json_object_get(row, "first_month")));
	snprintf(last, sizeof last, "%s", json_string_value(json_object_get(row, "last_month")));
	json_decref(row);
	if (apply)
		snprintf(w->target, sizeof w->target, "cycle:%lld", cycle);

	int fy, fm, ly, lm;
	month_parse(first, &fy, &fm);
	month_parse(last, &ly, &lm);
	struct icalrecurrencetype recur = icalrecurrencetype_from_string(rrule);
	struct icaltimetype start = icaltime_null_date();
	start.year = fy;
	start.month = fm;
	start.day = 1;
	icalrecur_iterator *it = icalrecur_iterator_new(recur, start);
	if (!it) {
		work_fail(w, ADF_E_INTERNAL, "libical refused %s", rrule);
		return NULL;
	}
	struct plan plan = {cycle, time, apply, force, json_array()};
	int rc = 0;
	int last_month = 0;
	for (struct icaltimetype t = icalrecur_iterator_next(it);
	     rc == 0 && !icaltime_is_null_time(t); t = icalrecur_iterator_next(it)) {
		int month = t.year * 12 + t.month;
		if (month > ly * 12 + lm)
			break;
		/* libical may hand out the first occurrence twice: one a month. */
		if (month == last_month)
			continue;
		last_month = month;
		rc = propose(w, &plan, t.year, t.month, t.day);
	}
	icalrecur_iterator_free(it);
	if (rc < 0) {
		json_decref(plan.days);
		return NULL;
	}
	return plan.days;
}
