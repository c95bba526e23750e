/* adfd's settings: embedded defaults, overridden by a libconfig file. */
#ifndef ADF_SETTINGS_H
#define ADF_SETTINGS_H

/* The smallest http.max_body: the site's largest valid form fits in it
 * (site/survey.c checks it), so that adfd, not libevent, refuses in French
 * what is too long. */
#define HTTP_MIN_BODY 32768

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "log.h"
#include "proto.h"

#define ADF_EX_CONFIG 78 /* sysexits' EX_CONFIG */

enum mail_transport { MAIL_MAILDIR, MAIL_SMTP, MAIL_SENDMAIL };

/* Who a rule's mail goes to. */
#define AUDIENCE_REGISTRANTS 0x1 /* confirmed or present */
#define AUDIENCE_SPEAKERS 0x2
#define AUDIENCE_ATTENDEES 0x4 /* checked in */
#define AUDIENCE_NOSHOWS 0x8   /* confirmed, never checked in */
#define AUDIENCE_WAITLISTED 0x10

/* A reminder sent `offset` seconds before each Atelier starts, or, with
 * after, a mail that follows it `offset` seconds after it ends. */
struct reminder_setting {
	char name[32];
	long offset;
	bool after;
	int audience;
	char template[64];
};

/* An audience's word ("attendees") as its bit, 0 if none; the bits of an
 * audience as words, "registrants,speakers". */
int audience_bit(const char *word);
void audience_words(int audience, char *out, size_t n);

struct settings {
	char *path; /* the file read, or NULL on embedded defaults */
	char *state_directory;
	char *socket_path;
	char *database;
	mode_t socket_mode;
	char *socket_group; /* NULL: the daemon's own group */
	char *admin_group;
	char *read_group;
	enum log_level log_level;
	size_t max_line;
	int max_clients;
	int max_clients_per_uid;
	int max_watchers_per_uid; /* live streams (watch) of one non-admin uid */
	int idle_timeout;	  /* seconds a client may take to send a full request */
	int write_timeout;	  /* seconds a client with answers pending may read nothing */
	size_t max_output;
	int retention_months;	    /* registrations are anonymised this long after their Atelier */
	int checkin_days_before;    /* check-in opens this many days before the Atelier's day */
	int audit_retention_months; /* audit entries are deleted this long after (0: kept) */
	int default_duration;	    /* minutes an Atelier without an end lasts in calendars */

	int mail_transport; /* enum mail_transport */
	char *mail_from, *mail_from_name, *mail_reply_to;
	char *maildir;	     /* default: state_directory/outbox */
	char *sendmail_path; /* run as "sendmail -t -i" */
	char *smtp_url;	     /* smtp://host:port or smtps://host:port */
	char *smtp_username, *smtp_password;
	int smtp_starttls; /* 0 never, 1 when offered, 2 required */
	int mail_max_connections;
	int mail_rate;	     /* messages a second, 0: no limit */
	int mail_retry_base; /* seconds before the first retry; doubles each time */
	int mail_max_attempts;
	char *templates_directory; /* files here replace the built-in templates */

	/* The public site (doc/design.md): off unless http.port is set. */
	char *http_address;
	int http_port;	     /* 0: no public site */
	char *http_base_url; /* how participants reach it, for the links in mails */
	size_t http_max_body;
	size_t http_max_headers;
	int http_timeout;		 /* seconds a client may take for a whole request */
	int http_max_connections;	 /* the site's connections at once */
	int http_registrations_per_hour; /* from one address; 0: no limit */
	int http_forwarded_for;		 /* 1: a reverse proxy's X-Forwarded-For names the client */
	struct reminder_setting *reminders;
	size_t reminders_len;
};

/* Loads path (NULL: embedded defaults only). On error, err->message reads
 * "file:line: what" and *out is untouched. */
int settings_load(const char *path, struct settings *out, struct adf_error *err);
void settings_free(struct settings *cfg);

#endif
