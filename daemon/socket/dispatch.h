/* One request line in, one answer out: parse, look the command up in the
 * table, validate, check the caller's role, run the handler (a write in
 * the commit group), audit changes. */
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

/* An answer too big to hold at once comes in chunks: the client calls
 * next() each time its output has drained, until *done. */
struct stream {
	/* Sets *chunk to the next data object (owned by the caller). */
	int (*next)(struct stream *s, struct adfd *d, json_t **chunk, bool *done,
		    struct adf_error *err);
	void (*free)(struct stream *s);
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
	json_t *err_details;   /* with an error: one entry per bad item, e.g. CSV rows */
	struct stream *stream; /* set by a handler whose answer comes in chunks */
	bool dry_run;	       /* roll back instead of committing, answer all the same */
	bool scrub;	       /* personal data was erased: truncate the WAL after commit */
};

/* The role the settings give to a peer, from the group database. */
enum cmd_role peer_role(const struct adfd *d, uid_t uid, gid_t gid);
/* The same from the groups the peer's process has (SO_PEERGROUPS): a
 * process that dropped a group has not its role, one given a group has. */
enum cmd_role peer_role_groups(const struct adfd *d, uid_t uid, gid_t gid, const gid_t *groups,
			       size_t n);
/* Answers one request line; returns the answer (never NULL). When the
 * answer is streamed, *stream is set and further chunks come from it. */
json_t *dispatch_line(struct adfd *d, const struct peer *peer, const char *line, size_t len,
		      struct stream **stream);
/* Commits the writes answered since the last commit (see db_write_begin);
 * until then their answers must be held back. */
int dispatch_commit(struct adfd *d, struct adf_error *err);
/* The answer carrying a stream's chunk; final when !more. */
json_t *answer_chunk(json_t *id, json_t *data, bool more);
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
