#include "config.h"

#include <libical/ical.h>
#include <stdio.h>

#include "date.h"
#include "paris.h"

/* "2017-09-27" "08:30" as a civil time of Paris; false if malformed. */
bool paris_floating(const char *date, const char *time, struct icaltimetype *out)
{
	int y, m, d, h, min;
	if (!date_parse(date, &y, &m, &d) || !time_parse(time, &h, &min))
		return false;
	*out = icaltime_null_time();
	out->year = y;
	out->month = m;
	out->day = d;
	out->hour = h;
	out->minute = min;
	return true;
}

static bool paris_civil(const char *date, const char *time, struct icaltimetype *out)
{
	icaltimezone *paris = icaltimezone_get_builtin_timezone("Europe/Paris");
	struct icaltimetype t;
	if (!paris || !paris_floating(date, time, &t))
		return false;
	*out = icaltime_set_timezone(&t, paris);
	return true;
}

int paris_to_utc(const char *date, const char *time, char out[21])
{
	struct icaltimetype t;
	if (!paris_civil(date, time, &t))
		return -1;
	struct icaltimetype u = icaltime_convert_to_zone(t, icaltimezone_get_utc_timezone());
	snprintf(out, 21, "%04d-%02d-%02dT%02d:%02d:%02dZ", u.year, u.month, u.day, u.hour,
		 u.minute, u.second);
	return 0;
}

bool paris_time_exists(const char *date, const char *time)
{
	struct icaltimetype t;
	if (!paris_civil(date, time, &t))
		return false;
	/* there and back: a time skipped when the clocks go forward comes
	 * back as another one */
	struct icaltimetype u = icaltime_convert_to_zone(t, icaltimezone_get_utc_timezone());
	struct icaltimetype back =
	    icaltime_convert_to_zone(u, icaltimezone_get_builtin_timezone("Europe/Paris"));
	return back.day == t.day && back.hour == t.hour && back.minute == t.minute;
}

bool paris_from_utc(const char *instant, char *out, size_t n)
{
	long long t = instant ? instant_parse(instant) : 0;
	icaltimezone *paris = icaltimezone_get_builtin_timezone("Europe/Paris");
	if (!t || !paris)
		return false;
	struct icaltimetype p = icaltime_from_timet_with_zone((time_t)t, 0, paris);
	snprintf(out, n, "%02d/%02d/%04d %02d:%02d", p.day, p.month, p.year, p.hour, p.minute);
	return true;
}

void paris_today(char out[11])
{
	icaltimezone *paris = icaltimezone_get_builtin_timezone("Europe/Paris");
	struct icaltimetype now =
	    icaltime_current_time_with_zone(paris ? paris : icaltimezone_get_utc_timezone());
	snprintf(out, 11, "%04d-%02d-%02d", now.year, now.month, now.day);
}

void paris_cleanup(void)
{
	icaltimezone_free_builtin_timezones();
}
