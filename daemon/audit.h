/* The audit log: who changed what, through the socket or the public site. */
#ifndef ADF_AUDIT_H
#define ADF_AUDIT_H

struct db;

/* The uid the audit log records for the public site's participants. */
#define AUDIT_UID_WEB (-1LL)

/* Records one attempt; a failure is logged, never fatal to the request. */
void audit_add(struct db *db, long long uid, const char *command, const char *target,
	       const char *outcome);

#endif
