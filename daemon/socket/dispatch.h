/* One request line in, one answer out: parse, look the command up in the
 * table, validate, check the caller's role, run the handler (a write in
 * the commit group), audit changes. */
#ifndef ADF_DISPATCH_H
#define ADF_DISPATCH_H

#include <jansson.h>
#include <stddef.h>
#include <sys/types.h>

#include "adfd.h"
#include "request.h"

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

#endif
