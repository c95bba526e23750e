/* The audit log: who changed what, through the socket or the public site. */
#ifndef ADF_AUDIT_H
#define ADF_AUDIT_H

#include <jansson.h>

struct db;
struct adf_error;

/* The uid the audit log records for the public site's participants. */
#define AUDIT_UID_WEB (-1LL)

/* Records one attempt; a failure is logged (and -1), never fatal to the
 * request. */
int audit_add(struct db *db, long long uid, const char *command, const char *target,
	      const char *outcome);
/* Records a forbidden request: one row a minute per uid and command,
 * whose count grows (written by the flush timer, or at shutdown). */
void audit_refused(struct db *db, long long uid, const char *command);
/* Writes the counts not written yet. */
void audit_flush(struct db *db);
/* The newest entries first; since (a day), uid: NULL for any. */
json_t *audit_list(struct db *db, struct adf_error *err, json_t *since, json_t *uid,
		   long long limit);
/* Deletes the entries before a day; how many, or -1. */
int audit_delete_before(struct db *db, struct adf_error *err, const char *day);
struct adfd;
int audit_start(struct adfd *d);
void audit_stop(struct adfd *d);

#endif
