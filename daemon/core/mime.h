/* Internet messages (RFC 5322, MIME): the bytes every transport sends.
 * Built from the outbox row each time, so a resend is the same message. */
#ifndef ADF_MIME_H
#define ADF_MIME_H

#include <stddef.h>
#include <time.h>

struct mail_parts {
	const char *from, *from_name, *reply_to;
	const char *to, *to_name;
	const char *subject, *body; /* UTF-8; the body with '\n' line ends */
	const char *ics;	    /* an iCalendar part, or NULL */
	const char *ics_method;	    /* "REQUEST", "CANCEL" or "PUBLISH" */
	const char *message_id;	    /* without <>, fixed per outbox row */
	const char *unsubscribe;    /* the cancel link (List-Unsubscribe), or NULL */
	time_t date;
};

/* The message with CRLF line ends only and no line over 998 octets; the
 * caller frees it. NULL if out of memory. */
char *mime_build(const struct mail_parts *p, size_t *len);

#endif
