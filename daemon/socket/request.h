/* A socket request, as its handler sees it: the domain's unit of work, the
 * peer who asked, the arguments, the answer. */
#ifndef ADF_REQUEST_H
#define ADF_REQUEST_H

#include <jansson.h>
#include <stdbool.h>
#include <sys/types.h>

#include "cmdtable.h"
#include "work.h"

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
	/* Sets *chunk to the next data object (owned by the caller); a live
	 * stream may set none: it has nothing to say until told of a change. */
	int (*next)(struct stream *s, struct adfd *d, json_t **chunk, bool *done,
		    struct adf_error *err);
	void (*free)(struct stream *s);
	/* A live stream has no end (a watch): it speaks again after a change
	 * is committed (dirty), and ends when its peer sends a request or
	 * hangs up. */
	bool live;
	bool dirty;
};

/* A socket request: the domain's unit of work, and what only the socket
 * knows (the command, the peer, the arguments, the answer). */
struct req {
	struct work w;
	const struct cmd_entry *cmd;
	const struct peer *peer;
	json_t *args;	       /* borrowed, validated against the table */
	json_t *data;	       /* the answer's data, owned by the request */
	struct stream *stream; /* set by a handler whose answer comes in chunks */
	bool dry_run;	       /* roll back instead of committing, answer all the same */
};

int req_fail(struct req *r, enum adf_code code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* The answer's data from a domain function: 0, or -1 when it is NULL. */
int req_answer(struct req *r, json_t *data);
const char *arg_str(const struct req *r, const char *name); /* NULL if absent */
long long arg_int(const struct req *r, const char *name, long long fallback);
bool arg_bool(const struct req *r, const char *name);
bool arg_has(const struct req *r, const char *name);

#endif
