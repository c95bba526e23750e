/* Calendar facts and French formatting. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "date.h"

static void parses_strictly(void **state)
{
	(void)state;
	int y, m, d, h, min;
	assert_true(date_parse("2017-09-27", &y, &m, &d));
	assert_int_equal(y * 10000 + m * 100 + d, 20170927);
	assert_true(date_parse("2020-02-29", &y, &m, &d));
	assert_false(date_parse("2017-02-29", &y, &m, &d));
	assert_false(date_parse("2017-13-01", &y, &m, &d));
	assert_false(date_parse("2017-9-27", &y, &m, &d));
	assert_false(date_parse("2017-09-27x", &y, &m, &d));
	assert_false(date_parse("27/09/2017", &y, &m, &d));
	assert_false(date_parse("", &y, &m, &d));
	assert_true(month_parse("2018-06", &y, &m));
	assert_false(month_parse("2018-00", &y, &m));
	assert_true(time_parse("08:30", &h, &min));
	assert_false(time_parse("24:00", &h, &min));
	assert_false(time_parse("8:30", &h, &min));
	assert_false(time_parse("08:60", &h, &min));
}

static void weekdays_and_easter(void **state)
{
	(void)state;
	int m, d;
	assert_int_equal(day_of_week(2017, 9, 27), 3); /* a Wednesday */
	assert_int_equal(day_of_week(1970, 1, 1), 4);
	easter_sunday(2018, &m, &d);
	assert_int_equal(m * 100 + d, 401);
	easter_sunday(2024, &m, &d);
	assert_int_equal(m * 100 + d, 331);
	easter_sunday(2025, &m, &d);
	assert_int_equal(m * 100 + d, 420);
	int y;
	civil_from_days(days_from_civil(2017, 12, 31) + 1, &y, &m, &d);
	assert_int_equal(y * 10000 + m * 100 + d, 20180101);
}

static void french_public_holidays(void **state)
{
	(void)state;
	assert_string_equal(holiday_name(2018, 4, 2), "Lundi de Pâques");
	assert_string_equal(holiday_name(2018, 5, 10), "Ascension");
	assert_string_equal(holiday_name(2018, 5, 21), "Lundi de Pentecôte");
	assert_string_equal(holiday_name(2018, 5, 1), "Fête du Travail");
	assert_string_equal(holiday_name(2017, 11, 1), "Toussaint");
	assert_string_equal(holiday_name(2017, 12, 25), "Noël");
	assert_string_equal(holiday_name(2017, 7, 14), "Fête nationale");
	assert_null(holiday_name(2017, 9, 27));
	assert_null(holiday_name(2018, 4, 1)); /* Easter Sunday itself is a Sunday anyway */
}

static void french_formatting(void **state)
{
	(void)state;
	char buf[128];
	assert_true(datetime_fr(buf, sizeof buf, "2017-09-27", "08:30"));
	assert_string_equal(buf, "mercredi 27 septembre 2017, 8 h 30");
	assert_true(datetime_fr(buf, sizeof buf, "2018-02-01", "14:00"));
	assert_string_equal(buf, "jeudi 1er février 2018, 14 h");
	assert_true(datetime_fr(buf, sizeof buf, "2017-12-13", NULL));
	assert_string_equal(buf, "mercredi 13 décembre 2017");
	assert_false(datetime_fr(buf, sizeof buf, "2017-02-30", "08:30"));
	assert_true(month_fr(buf, sizeof buf, "2018-08"));
	assert_string_equal(buf, "août 2018");
	assert_true(date_line_fr(buf, sizeof buf, "2017-09-27", "08:30"));
	assert_string_equal(buf, "MERCREDI 27 SEPTEMBRE 2017 - 8 h 30");
	assert_true(date_line_fr(buf, sizeof buf, "2017-12-01", "14:00"));
	assert_string_equal(buf, "VENDREDI 1ER DÉCEMBRE 2017 - 14 h");
	edition_fr(buf, sizeof buf, 1);
	assert_string_equal(buf, "1re édition");
	edition_fr(buf, sizeof buf, 2);
	assert_string_equal(buf, "2e édition");
}

/* Instants against libc's gmtime, written independently. */
static void instants_round_trip(void **state)
{
	(void)state;
	char out[INSTANT_LEN], expected[32];
	instant_format(0, out);
	assert_string_equal(out, "1970-01-01T00:00:00Z");
	instant_format(1506493800, out);
	assert_string_equal(out, "2017-09-27T06:30:00Z");
	for (long long t = 946684800; t < 4102444800LL; t += 86400 * 37 + 3661) {
		time_t tt = (time_t)t;
		struct tm tm;
		gmtime_r(&tt, &tm);
		strftime(expected, sizeof expected, "%Y-%m-%dT%H:%M:%SZ", &tm);
		instant_format(t, out);
		assert_string_equal(out, expected);
		assert_int_equal(instant_parse(out), t);
	}
	assert_int_equal(instant_parse("2017-09-27T06:30:00.123456Z"), 1506493800);
	assert_int_equal(instant_parse(NULL), 0);
	assert_int_equal(instant_parse("2017-09-27 06:30:00"), 0);
	assert_int_equal(instant_parse("2017-13-27T06:30:00Z"), 0);
	char precise[32];
	instant_format_precise(1506493800, 42, precise);
	assert_string_equal(precise, "2017-09-27T06:30:00.000042Z");
}

static void reminder_offsets(void **state)
{
	(void)state;
	assert_int_equal(offset_parse("7d"), 7 * 86400);
	assert_int_equal(offset_parse("12h"), 12 * 3600);
	assert_int_equal(offset_parse("90m"), 5400);
	assert_int_equal(offset_parse("30s"), 30);
	assert_int_equal(offset_parse("45"), -1);
	assert_int_equal(offset_parse("3 jours"), -1);
	assert_int_equal(offset_parse("0d"), -1);
	assert_int_equal(offset_parse("-1d"), -1);
	assert_int_equal(offset_parse("400d"), -1);
	assert_int_equal(offset_parse(""), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(reminder_offsets),	   cmocka_unit_test(parses_strictly),
	    cmocka_unit_test(weekdays_and_easter), cmocka_unit_test(french_public_holidays),
	    cmocka_unit_test(french_formatting),   cmocka_unit_test(instants_round_trip),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
