/* iCalendar exports through libical: one VEVENT per Atelier (and per
 * session on request), in Europe/Paris with a small standard VTIMEZONE. */
#ifndef ADF_ICAL_H
#define ADF_ICAL_H

#include <jansson.h>
#include <stdbool.h>

struct work;

/* For an invitation sent by mail (iTIP): REQUEST or CANCEL, from the
 * organiser to one attendee. */
struct ical_invite {
	bool cancel;
	const char *organizer, *organizer_name, *attendee;
};

/* A VCALENDAR holding the given Ateliers (rows of atelier_get), as a new
 * string the caller frees; NULL with w->err on error. Without invite it is
 * published (METHOD:PUBLISH). */
char *ical_calendar(struct work *w, json_t *ateliers, const char *name, bool sessions,
		    const struct ical_invite *invite);
/* Frees the cached time zone. */
void ical_cleanup(void);
/* As answers {format, content}: one Atelier, a cycle's Ateliers. */
json_t *ical_atelier(struct work *w, long long id, bool sessions);
json_t *ical_cycle(struct work *w, long long id, bool sessions);

#endif
