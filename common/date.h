/* Calendar facts and French formatting: strict parsing of the ISO forms the
 * protocol uses, French public holidays, and dates as people read them. */
#ifndef ADF_DATE_H
#define ADF_DATE_H

#include <stdbool.h>
#include <stddef.h>

#define DATE_YEAR_MIN 1900
#define DATE_YEAR_MAX 2199
bool date_parse(const char *s, int *y, int *m, int *d); /* YYYY-MM-DD */
bool month_parse(const char *s, int *y, int *m);	/* YYYY-MM */
bool time_parse(const char *s, int *h, int *min);	/* HH:MM */
int days_in_month(int y, int m);
long days_from_civil(int y, int m, int d); /* days since 1970-01-01 */
void civil_from_days(long days, int *y, int *m, int *d);
int day_of_week(int y, int m, int d); /* 0 = Sunday */
void easter_sunday(int y, int *m, int *d);
/* The French name of the public holiday on that day, or NULL. */
const char *holiday_name(int y, int m, int d);

/* Instants as stored and exchanged: UTC ISO 8601, "2017-09-27T06:30:00Z".
 * The only place they are formatted and parsed. */
#define INSTANT_LEN 21 /* with the terminating NUL */
void instant_format(long long t, char out[INSTANT_LEN]);
/* Seconds since the epoch of "YYYY-MM-DDTHH:MM:SS..." (UTC); 0 if s is
 * NULL or malformed. */
long long instant_parse(const char *s);
/* "2017-09-27T06:30:00.123456Z": an instant to the microsecond (queue
 * order), 32 bytes with the NUL. */
void instant_format_precise(long long t, long usec, char out[32]);

/* Seconds in "7d", "12h", "90m", "30s" or plain seconds (at most a
 * year); -1 if it is none of those. */
long offset_parse(const char *s);

/* "mercredi 27 septembre 2017" */
void date_fr(char *buf, size_t n, int y, int m, int d);
/* "8 h 30", "14 h" */
void time_fr(char *buf, size_t n, int h, int min);
/* "mercredi 27 septembre 2017, 8 h 30" from "2017-09-27" and "08:30";
 * the time may be NULL. Returns false on a malformed input. */
bool datetime_fr(char *buf, size_t n, const char *date, const char *time);
/* "MERCREDI 27 SEPTEMBRE 2017 - 8H30", as a printed programme heads. */
bool date_line_fr(char *buf, size_t n, const char *date, const char *time);
/* "septembre 2017" from "2017-09" */
bool month_fr(char *buf, size_t n, const char *month);
/* "1ère édition", "2e édition" */
void edition_fr(char *buf, size_t n, int edition);

#endif
