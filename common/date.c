#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"

static const char *const month_names[12] = {"janvier",	 "février", "mars",	"avril",
					    "mai",	 "juin",    "juillet",	"août",
					    "septembre", "octobre", "novembre", "décembre"};
static const char *const day_names[7] = {"dimanche", "lundi",	 "mardi", "mercredi",
					 "jeudi",    "vendredi", "samedi"};

static bool digits(const char *s, int n, int *out)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return true;
}

bool month_parse(const char *s, int *y, int *m)
{
	if (!s || strlen(s) != 7 || s[4] != '-')
		return false;
	if (!digits(s, 4, y) || !digits(s + 5, 2, m))
		return false;
	/* calendars (libical's time zones) go wrong far ahead: the tour plans
	 * within two centuries */
	return *y >= DATE_YEAR_MIN && *y <= DATE_YEAR_MAX && *m >= 1 && *m <= 12;
}

bool date_parse(const char *s, int *y, int *m, int *d)
{
	if (!s || strlen(s) != 10 || s[7] != '-')
		return false;
	char month[8];
	memcpy(month, s, 7);
	month[7] = '\0';
	if (!month_parse(month, y, m) || !digits(s + 8, 2, d))
		return false;
	return *d >= 1 && *d <= days_in_month(*y, *m);
}

bool time_parse(const char *s, int *h, int *min)
{
	if (!s || strlen(s) != 5 || s[2] != ':')
		return false;
	if (!digits(s, 2, h) || !digits(s + 3, 2, min))
		return false;
	return *h <= 23 && *min <= 59;
}

int days_in_month(int y, int m)
{
	static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return m == 2 && leap ? 29 : days[m - 1];
}

/* Howard Hinnant's days_from_civil: exact for the proleptic Gregorian
 * calendar, no time zone involved. */
long days_from_civil(int y, int m, int d)
{
	y -= m <= 2;
	long era = (y >= 0 ? y : y - 399) / 400;
	long yoe = y - era * 400;
	long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

void civil_from_days(long z, int *y, int *m, int *d)
{
	z += 719468;
	long era = (z >= 0 ? z : z - 146096) / 146097;
	long doe = z - era * 146097;
	long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	long mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

int day_of_week(int y, int m, int d)
{
	long days = days_from_civil(y, m, d);
	return (int)((days % 7 + 11) % 7); /* 1970-01-01 was a Thursday */
}

/* The anonymous Gregorian algorithm (Meeus/Jones/Butcher). */
void easter_sunday(int y, int *m, int *d)
{
	int a = y % 19, b = y / 100, c = y % 100, dd = b / 4, e = b % 4;
	int f = (b + 8) / 25, g = (b - f + 1) / 3;
	int h = (19 * a + b - dd - g + 15) % 30;
	int i = c / 4, k = c % 4;
	int l = (32 + 2 * e + 2 * i - h - k) % 7;
	int mm = (a + 11 * h + 22 * l) / 451;
	*m = (h + l - 7 * mm + 114) / 31;
	*d = (h + l - 7 * mm + 114) % 31 + 1;
}

const char *holiday_name(int y, int m, int d)
{
	static const struct {
		int m, d;
		const char *name;
	} fixed[] = {
	    {1, 1, "Jour de l'an"},	{5, 1, "Fête du Travail"}, {5, 8, "Victoire 1945"},
	    {7, 14, "Fête nationale"},	{8, 15, "Assomption"},	   {11, 1, "Toussaint"},
	    {11, 11, "Armistice 1918"}, {12, 25, "Noël"},
	};
	static const struct {
		int offset;
		const char *name;
	} moving[] = {{1, "Lundi de Pâques"}, {39, "Ascension"}, {50, "Lundi de Pentecôte"}};

	for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++)
		if (fixed[i].m == m && fixed[i].d == d)
			return fixed[i].name;
	int em, ed;
	easter_sunday(y, &em, &ed);
	long diff = days_from_civil(y, m, d) - days_from_civil(y, em, ed);
	for (size_t i = 0; i < sizeof moving / sizeof moving[0]; i++)
		if (moving[i].offset == diff)
			return moving[i].name;
	return NULL;
}

void date_fr(char *buf, size_t n, int y, int m, int d)
{
	snprintf(buf, n, "%s %d%s %s %d", day_names[day_of_week(y, m, d)], d, d == 1 ? "er" : "",
		 month_names[m - 1], y);
}

void time_fr(char *buf, size_t n, int h, int min)
{
	if (min == 0)
		snprintf(buf, n, "%d h", h);
	else
		snprintf(buf, n, "%d h %02d", h, min);
}

bool datetime_fr(char *buf, size_t n, const char *date, const char *time)
{
	int y, m, d, h, min;
	if (!date_parse(date, &y, &m, &d))
		return false;
	char day[64], hour[16] = "";
	date_fr(day, sizeof day, y, m, d);
	if (time) {
		if (!time_parse(time, &h, &min))
			return false;
		time_fr(hour, sizeof hour, h, min);
		snprintf(buf, n, "%s, %s", day, hour);
	} else {
		snprintf(buf, n, "%s", day);
	}
	return true;
}

bool date_line_fr(char *buf, size_t n, const char *date, const char *time)
{
	static const char *const months_upper[12] = {
	    "JANVIER", "FÉVRIER", "MARS",      "AVRIL",	  "MAI",      "JUIN",
	    "JUILLET", "AOÛT",	  "SEPTEMBRE", "OCTOBRE", "NOVEMBRE", "DÉCEMBRE"};
	static const char *const days_upper[7] = {"DIMANCHE", "LUNDI",	  "MARDI", "MERCREDI",
						  "JEUDI",    "VENDREDI", "SAMEDI"};
	int y, m, d, h, min;
	if (!date_parse(date, &y, &m, &d) || !time_parse(time, &h, &min))
		return false;
	if (min)
		snprintf(buf, n, "%s %d%s %s %d - %d h %02d", days_upper[day_of_week(y, m, d)], d,
			 d == 1 ? "ER" : "", months_upper[m - 1], y, h, min);
	else
		snprintf(buf, n, "%s %d%s %s %d - %d h", days_upper[day_of_week(y, m, d)], d,
			 d == 1 ? "ER" : "", months_upper[m - 1], y, h);
	return true;
}

bool month_fr(char *buf, size_t n, const char *month)
{
	int y, m;
	if (!month_parse(month, &y, &m))
		return false;
	snprintf(buf, n, "%s %d", month_names[m - 1], y);
	return true;
}

void edition_fr(char *buf, size_t n, int edition)
{
	snprintf(buf, n, "%d%s édition", edition, edition == 1 ? "re" : "e");
}

long offset_parse(const char *s)
{
	char *end;
	long v = strtol(s, &end, 10);
	if (end == s || v <= 0)
		return -1;
	/* a bare "5" is no delay: five days or five seconds? */
	long unit = !*end		? -1
		    : !strcmp(end, "s") ? 1
		    : !strcmp(end, "m") ? 60
		    : !strcmp(end, "h") ? 3600
		    : !strcmp(end, "d") ? 86400
		    /* "3j", as a French organiser writes three days */
		    : !strcmp(end, "j") ? 86400
					: -1;
	return unit < 0 || v > 366L * 86400 / unit ? -1 : v * unit;
}

void instant_format(long long t, char out[INSTANT_LEN])
{
	long days = (long)(t / 86400), secs = (long)(t % 86400);
	if (secs < 0) {
		secs += 86400;
		days--;
	}
	int y, m, d;
	civil_from_days(days, &y, &m, &d);
	snprintf(out, INSTANT_LEN, "%04d-%02d-%02dT%02ld:%02ld:%02ldZ", y, m, d, secs / 3600,
		 secs / 60 % 60, secs % 60);
}

long long instant_parse(const char *s)
{
	int y, m, d, h, min, sec;
	char date[11], time[6];
	if (!s || strlen(s) < 19 || s[10] != 'T' || s[13] != ':' || s[16] != ':')
		return 0;
	memcpy(date, s, 10);
	date[10] = '\0';
	memcpy(time, s + 11, 5);
	time[5] = '\0';
	if (!date_parse(date, &y, &m, &d) || !time_parse(time, &h, &min) ||
	    !isdigit((unsigned char)s[17]) || !isdigit((unsigned char)s[18]))
		return 0;
	sec = (s[17] - '0') * 10 + (s[18] - '0');
	return (long long)days_from_civil(y, m, d) * 86400 + h * 3600 + min * 60 + sec;
}

void instant_format_precise(long long t, long usec, char out[32])
{
	char whole[INSTANT_LEN];
	instant_format(t, whole);
	snprintf(out, 32, "%.19s.%06ldZ", whole, usec % 1000000);
}
