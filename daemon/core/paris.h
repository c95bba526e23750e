/* Atelier times are civil times in Europe/Paris; instants are stored UTC. */
#ifndef ADF_PARIS_H
#define ADF_PARIS_H

#include <libical/ical.h>
#include <stdbool.h>

/* "2017-09-27" "08:30" -> "2017-09-27T06:30:00Z"; -1 on a malformed input. */
int paris_to_utc(const char *date, const char *time, char out[21]);
/* Whether that civil time happens in Paris (not skipped by the change to
 * summer time). */
bool paris_time_exists(const char *date, const char *time);
/* "2017-09-27" "08:30" as a floating libical time (no zone), for a
 * property that names its TZID; false on a malformed input. */
bool paris_floating(const char *date, const char *time, struct icaltimetype *out);
/* An instant ("2026-12-01T13:28:00Z") as a French spreadsheet reads a
 * Paris time: "01/12/2026 14:28"; false if it is none. */
bool paris_from_utc(const char *instant, char *out, size_t n);
/* Today's date in Paris, "YYYY-MM-DD". */
void paris_today(char out[11]);
/* Frees libical's time zone cache, so that a clean exit leaks nothing. */
void paris_cleanup(void);

#endif
