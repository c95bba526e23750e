/* iCalendar exports through libical: one VEVENT per Atelier (and per
 * session on request), in Europe/Paris with a small standard VTIMEZONE. */
#ifndef ADF_ICAL_H
#define ADF_ICAL_H

#include <jansson.h>
#include <stdbool.h>

struct req;

/* For an invitation sent by mail (iTIP): REQUEST or CANCEL, from the
 * organiser to one attendee. */
struct ical_invite {
	bool cancel;
	const char *organizer, *organizer_name, *attendee;
};

/* A VCALENDAR holding the given Ateliers (rows of atelier_get), as a new
 * string the caller frees; NULL with r->err on error. Without invite it is
 * published (METHOD:PUBLISH). */
char *ical_calendar(struct req *r, json_t *ateliers, const char *name, bool sessions,
		    const struct ical_invite *invite);
/* Frees the cached time zone. */
void ical_cleanup(void);

#endif
