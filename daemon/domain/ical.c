#include "config.h"

#include <libical/ical.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "atelier.h"
#include "cycle.h"
#include "date.h"
#include "db.h"
#include "ical.h"
#include "paris.h"
#include "programme.h"
#include "session.h"
#include "text.h"
#include "work.h"

#define TZID "Europe/Paris"

/* libical's built-in zone carries a long TZID and a history from 1891: mail
 * clients get a clone cut to the years we use, named plainly Europe/Paris
 * so that DTSTART;TZID=Europe/Paris matches it. */
static icalcomponent *paris_vtimezone_cut(int from_year);
static icalcomponent *cached_vtz;
static int cached_vtz_year;

/* Cutting the zone expands its rules (a tenth of a confirmation mail's
 * cost): a burst of mails about one Atelier cuts it once. */
static icalcomponent *paris_vtimezone(int from_year)
{
	if (!cached_vtz || cached_vtz_year != from_year) {
		ical_cleanup();
		cached_vtz = paris_vtimezone_cut(from_year);
		cached_vtz_year = from_year;
	}
	return cached_vtz ? icalcomponent_new_clone(cached_vtz) : NULL;
}

void ical_cleanup(void)
{
	if (cached_vtz)
		icalcomponent_free(cached_vtz);
	cached_vtz = NULL;
}

static icalcomponent *paris_vtimezone_cut(int from_year)
{
	icaltimezone *paris = icaltimezone_get_builtin_timezone(TZID);
	if (!paris)
		return NULL;
	icalcomponent *vtz = icalcomponent_new_clone(icaltimezone_get_component(paris));
	struct icaltimetype start = icaltime_null_time();
	start.year = from_year;
	start.month = 1;
	start.day = 1;
	start = icaltime_set_timezone(&start, icaltimezone_get_utc_timezone());
	icaltimezone_truncate_vtimezone(vtz, start, icaltime_null_time(), 1);
	icalproperty *tzid = icalcomponent_get_first_property(vtz, ICAL_TZID_PROPERTY);
	if (tzid)
		icalproperty_set_tzid(tzid, TZID);
	return vtz;
}

/* A civil time in Paris as a property with TZID=Europe/Paris. */
static icalproperty *paris_time(icalproperty *(*make)(struct icaltimetype), const char *date,
				const char *time)
{
	struct icaltimetype t;
	if (!paris_floating(date, time, &t))
		return NULL;
	icalproperty *p = make(t);
	icalproperty_add_parameter(p, icalparameter_new_tzid(TZID));
	return p;
}

static void add_if(icalcomponent *c, icalproperty *p)
{
	if (p)
		icalcomponent_add_property(c, p);
}

static enum icalproperty_status event_status(const char *status)
{
	if (!strcmp(status, "cancelled"))
		return ICAL_STATUS_CANCELLED;
	if (!strcmp(status, "draft"))
		return ICAL_STATUS_TENTATIVE;
	return ICAL_STATUS_CONFIRMED;
}

static void common_props(icalcomponent *ev, const char *uid, json_t *atelier,
			 struct icaltimetype now)
{
	char location[512];
	const char *venue = json_str(atelier, "venue"), *city = json_str(atelier, "city");
	snprintf(location, sizeof location, "%s%s%s", venue ? venue : "", venue && city ? ", " : "",
		 city ? city : "");
	icalcomponent_add_property(ev, icalproperty_new_uid(uid));
	icalcomponent_add_property(ev, icalproperty_new_dtstamp(now));
	icalcomponent_add_property(ev, icalproperty_new_sequence((int)json_integer_value(
					   json_object_get(atelier, "sequence"))));
	icalcomponent_add_property(
	    ev, icalproperty_new_status(event_status(json_str(atelier, "status"))));
	if (location[0])
		icalcomponent_add_property(ev, icalproperty_new_location(location));
}

static int add_atelier(struct work *w, icalcomponent *cal, json_t *atelier, const char *key,
		       bool sessions, struct icaltimetype now, const struct ical_invite *invite)
{
	long long id = json_integer_value(json_object_get(atelier, "id"));
	char uid[128], summary[400];
	snprintf(uid, sizeof uid, "atelier-%lld.%s@adfd", id, key);
	snprintf(summary, sizeof summary, "Atelier des Départements : %s",
		 json_str(atelier, "title") ? json_str(atelier, "title") : "en préparation");
	char *programme = programme_render(w, id, PROGRAMME_TEXT);
	if (!programme)
		return -1;
	icalcomponent *ev = icalcomponent_new_vevent();
	common_props(ev, uid, atelier, now);
	icalcomponent_add_property(ev, icalproperty_new_summary(summary));
	icalcomponent_add_property(ev, icalproperty_new_description(programme));
	free(programme);
	add_if(ev, paris_time(icalproperty_new_dtstart, json_str(atelier, "date"),
			      json_str(atelier, "time")));
	/* every invitation has an end: without one, the configured duration */
	const char *end = json_str(atelier, "end");
	char until[16];
	int h, min;
	if (!end && time_parse(json_str(atelier, "time"), &h, &min)) {
		int at = h * 60 + min + w->adfd->cfg.default_duration;
		at = at < 23 * 60 + 59 ? at : 23 * 60 + 59;
		snprintf(until, sizeof until, "%02d:%02d", at / 60, at % 60);
		end = until;
	}
	if (end)
		add_if(ev, paris_time(icalproperty_new_dtend, json_str(atelier, "date"), end));
	if (invite) {
		char mailto[300];
		snprintf(mailto, sizeof mailto, "mailto:%s", invite->organizer);
		icalproperty *org = icalproperty_new_organizer(mailto);
		if (invite->organizer_name)
			icalproperty_add_parameter(org,
						   icalparameter_new_cn(invite->organizer_name));
		icalcomponent_add_property(ev, org);
		snprintf(mailto, sizeof mailto, "mailto:%s", invite->attendee);
		icalproperty *att = icalproperty_new_attendee(mailto);
		icalproperty_add_parameter(att, icalparameter_new_role(ICAL_ROLE_REQPARTICIPANT));
		icalproperty_add_parameter(att, icalparameter_new_rsvp(ICAL_RSVP_FALSE));
		icalcomponent_add_property(ev, att);
		if (invite->cancel) {
			icalproperty *st =
			    icalcomponent_get_first_property(ev, ICAL_STATUS_PROPERTY);
			if (st)
				icalproperty_set_status(st, ICAL_STATUS_CANCELLED);
		}
	}
	icalcomponent_add_component(cal, ev);
	if (!sessions)
		return 0;

	json_t *list = session_list_json(w, id);
	if (!list)
		return -1;
	size_t i;
	json_t *s;
	json_array_foreach(list, i, s)
	{
		char suid[128];
		snprintf(suid, sizeof suid, "session-%lld.%s@adfd",
			 (long long)json_integer_value(json_object_get(s, "id")), key);
		snprintf(summary, sizeof summary, "%s", json_str(s, "title"));
		icalcomponent *sev = icalcomponent_new_vevent();
		common_props(sev, suid, atelier, now);
		icalcomponent_add_property(sev, icalproperty_new_summary(summary));
		icalcomponent_add_property(sev, icalproperty_new_relatedto(uid));
		if (json_str(s, "speakers_fr")[0])
			icalcomponent_add_property(
			    sev, icalproperty_new_description(json_str(s, "speakers_fr")));
		add_if(sev, paris_time(icalproperty_new_dtstart, json_str(atelier, "date"),
				       json_str(s, "start")));
		add_if(sev, paris_time(icalproperty_new_dtend, json_str(atelier, "date"),
				       json_str(s, "end")));
		icalcomponent_add_component(cal, sev);
	}
	json_decref(list);
	return 0;
}

char *ical_calendar(struct work *w, json_t *ateliers, const char *name, bool sessions,
		    const struct ical_invite *invite)
{
	char key[32];
	sqlite3_stmt *st = db_query(w->db, &w->err, "SELECT key FROM instance", "");
	if (!st || db_step(w->db, st, &w->err) != 1)
		return NULL;
	snprintf(key, sizeof key, "%s", sqlite3_column_text(st, 0));
	sqlite3_reset(st);

	icalcomponent *cal = icalcomponent_new_vcalendar();
	icalcomponent_add_property(cal,
				   icalproperty_new_prodid("-//ADF//adfd " PACKAGE_VERSION "//FR"));
	icalcomponent_add_property(cal, icalproperty_new_version("2.0"));
	icalcomponent_add_property(cal, icalproperty_new_calscale("GREGORIAN"));
	icalcomponent_add_property(cal,
				   icalproperty_new_method(!invite	    ? ICAL_METHOD_PUBLISH
							   : invite->cancel ? ICAL_METHOD_CANCEL
									    : ICAL_METHOD_REQUEST));
	icalproperty *calname = icalproperty_new_x(name);
	icalproperty_set_x_name(calname, "X-WR-CALNAME");
	icalcomponent_add_property(cal, calname);

	int first_year = 0;
	size_t i;
	json_t *a;
	json_array_foreach(ateliers, i, a)
	{
		int year = atoi(json_str(a, "date"));
		if (!first_year || year < first_year)
			first_year = year;
	}
	if (first_year) {
		icalcomponent *vtz = paris_vtimezone(first_year);
		if (!vtz) {
			icalcomponent_free(cal);
			work_fail(w, ADF_E_INTERNAL,
				  "no time zone data for " TZID " (install tzdata)");
			return NULL;
		}
		icalcomponent_add_component(cal, vtz);
	}
	struct icaltimetype now = icaltime_current_time_with_zone(icaltimezone_get_utc_timezone());
	json_array_foreach(ateliers, i, a)
	{
		if (add_atelier(w, cal, a, key, sessions, now, invite) < 0) {
			icalcomponent_free(cal);
			return NULL;
		}
	}
	char *text = icalcomponent_as_ical_string_r(cal);
	icalcomponent_free(cal);
	return text;
}

static json_t *answer_calendar(struct work *w, json_t *ateliers, const char *name, bool sessions)
{
	char *text = ical_calendar(w, ateliers, name, sessions, NULL);
	if (!text)
		return NULL;
	json_t *answer = json_pack("{s:s,s:s}", "format", "icalendar", "content", text);
	free(text);
	if (!answer)
		work_fail(w, ADF_E_INTERNAL, "out of memory");
	return answer;
}

json_t *ical_atelier(struct work *w, long long id, bool sessions)
{
	json_t *atelier = atelier_get(w, id);
	if (!atelier)
		return NULL;
	json_t *list = json_pack("[o]", atelier);
	json_t *answer =
	    answer_calendar(w, list, "Les Ateliers des Départements de France", sessions);
	json_decref(list);
	return answer;
}

json_t *ical_cycle(struct work *w, long long id, bool sessions)
{
	json_t *row = cycle_get(w, id), *key = json_integer(id);
	char name[300] = "";
	if (row)
		snprintf(name, sizeof name, "Les Ateliers des Départements de France — %s",
			 json_string_value(json_object_get(row, "name")));
	json_t *list = row ? atelier_list_json(w, key, NULL, NULL) : NULL;
	json_decref(row);
	json_decref(key);
	json_t *answer = list ? answer_calendar(w, list, name, sessions) : NULL;
	json_decref(list);
	return answer;
}
