/* One request line in, one answer out: parse, look the command up in the
 * table, validate, check the caller's role, run the handler in a
 * transaction, audit changes. */
#ifndef ADF_DISPATCH_H
#define ADF_DISPATCH_H

#include <jansson.h>
#include <stddef.h>
#include <sys/types.h>

#include "adfd.h"
#include "cmdtable.h"

struct peer {
	bool has_cred; /* SO_PEERCRED answered: without it, nothing is allowed */
	uid_t uid;
	gid_t gid;
	pid_t pid;
	enum cmd_role role;
};

struct req {
	struct adfd *adfd;
	struct db *db;
	const struct cmd_entry *cmd;
	const struct peer *peer;
	json_t *args;	 /* borrowed, validated against the table */
	json_t *data;	 /* the answer's data, owned by the request */
	char target[64]; /* what a change touched, for the audit log */
	struct adf_error err;
};

/* The role the settings give to a peer. */
enum cmd_role peer_role(const struct adfd *d, uid_t uid, gid_t gid);
/* Answers one request line; returns the answer (never NULL). */
json_t *dispatch_line(struct adfd *d, const struct peer *peer, const char *line, size_t len);
/* An error answer with the given id (NULL: null). */
json_t *answer_error(json_t *id, enum adf_code code, const char *message);

/* Handler helpers. */
int req_fail(struct req *r, enum adf_code code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
const char *arg_str(const struct req *r, const char *name); /* NULL if absent */
long long arg_int(const struct req *r, const char *name, long long fallback);
bool arg_bool(const struct req *r, const char *name);
bool arg_has(const struct req *r, const char *name);

#endif
