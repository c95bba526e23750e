/* A unit of work of the domain, whoever asks for it (a socket request, a
 * page of the site, a timer), and the one path by which writes reach the
 * disk: a transaction or a savepoint of the commit group, the audit of the
 * change, and after the commit the subscribers (the planner: "a change may
 * mean mail"; the WAL truncation after an erasure). */
#ifndef ADF_WORK_H
#define ADF_WORK_H

#include <jansson.h>
#include <stdarg.h>
#include <stdbool.h>

#include <sqlite3.h>

#include "adfd.h"
#include "proto.h"

struct adfd;
struct db;

/* What a committed change means to those who subscribe. */
enum work_event {
	WORK_CHANGED = 1,  /* the tour, a programme or a registration changed */
	WORK_SCRUBBED = 2, /* personal data was erased: no copy may stay in the WAL */
	WORK_MAILED = 4	   /* mail was queued, sent or failed (the watchers' counts) */
};

/* A domain function takes a struct work and explicit parameters, and
 * returns its answer (a new reference), or NULL with w->err set. */
struct work {
	struct adfd *adfd;
	struct db *db;
	struct adf_error err;
	json_t *err_details; /* with an error: one entry per bad item, e.g. CSV rows */
	char target[64];     /* what a change touched, for the audit log */
	unsigned events;     /* of enum work_event, told after the commit */
	int reason;	     /* with an error, a noun's own code for it (0: none) */
};

void work_init(struct work *w, struct adfd *d);
/* Sets the error; returns -1. */
int work_fail(struct work *w, enum adf_code code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* The same with the noun's reason code, which each face (the socket's
 * message, the site's French page) turns into its words. */
int work_refuse(struct work *w, enum adf_code code, int reason, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* The first row of st (from db_query) as an object; when there is none,
 * NULL and ADF_E_NOT_FOUND with the message (e.g. "no Atelier 3"). */
json_t *work_row(struct work *w, sqlite3_stmt *st, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Whether a lookup found its row (which it lets go): for a check that a
 * thing exists, its error (not_found) set when it does not. */
static inline bool work_found(json_t *row)
{
	json_decref(row);
	return row != NULL;
}

/* The answer to a deletion, {id, deleted: true}; NULL when changed < 0
 * (db_exec failed, its error stands). */
json_t *work_deleted(struct work *w, int changed, long long id);

/* A transaction of its own (the site, the timers); an open commit group
 * is committed first. */
int work_begin(struct work *w);
/* Ends what work_begin began: commits when rc == 0, else rolls back; with
 * a command, audits it as uid with w->target and its outcome. Returns 0
 * when committed, -1 otherwise (the error in w->err). */
int work_end(struct work *w, int rc, long long uid, const char *command);

/* A socket request's write, in a savepoint of the commit group: its changes
 * and its audit entry reach the disk with the group, or not at all. */
int work_group_begin(struct work *w);
/* keep: the changes stay (rc == 0 and not a dry run); a refusal is
 * audited on its own. */
void work_group_end(struct work *w, int rc, bool keep, long long uid, const char *command);
/* Commits the group, then tells the subscribers; -1 if it could not, and
 * then none of it is on disk. */
int work_group_commit(struct adfd *d, struct adf_error *err);

/* fn runs after each commit whose events include one of events. */
int work_subscribe(struct adfd *d, unsigned events, void (*fn)(struct adfd *d));

#endif
