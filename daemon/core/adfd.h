/* The daemon's one context, handed to the server and to every handler. */
#ifndef ADF_ADFD_H
#define ADF_ADFD_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>
#include <time.h>

#include "settings.h"
#include "template.h"

/* Event priorities: the commit group goes last in a turn of the loop. */
#define ADFD_PRIORITIES 2
#define ADFD_SUBSCRIBERS 4

struct event_base;
struct db;
struct server;
struct event;
struct mailer;
struct web;

struct adfd {
	struct event_base *base;
	struct settings cfg;
	struct db *db;
	struct server *server;
	struct event *retention_timer;
	struct event *audit_timer; /* writes the counts of repeated refusals */
	struct event *scheduler_timer;
	bool scheduler_kicked; /* its timer is set to the kick's short delay */
	struct mailer *mailer;
	struct web *web; /* the public site, NULL when off */
	struct templates templates;
	time_t started;
	/* the groups named in the settings, resolved at (re)load; -1: none */
	gid_t admin_gid, read_gid;
	bool admin_gid_set, read_gid_set;
	/* told after a commit (core/work.c) */
	struct {
		unsigned events;
		void (*fn)(struct adfd *d);
	} subscribers[ADFD_SUBSCRIBERS];
	size_t subscribers_len;
	unsigned group_events; /* of the writes in the open commit group */
	/* commits told to the subscribers: what was read before the last one
	 * may be stale, what was read since is not */
	unsigned long long generation;
};

/* The templates of the settings; every reminder rule's must exist. */
int adfd_load_templates(const struct settings *cfg, struct templates *out, struct adf_error *err);
/* Reads the config file and templates again; a bad one keeps the current
 * settings, and err says why. */
int adfd_reload(struct adfd *d, struct adf_error *err);

/* Resolves the group names of d->cfg; logs a group that does not exist. */
void adfd_resolve_groups(struct adfd *d);

#endif
