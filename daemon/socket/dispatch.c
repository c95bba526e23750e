#include "config.h"

#include <grp.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "audit.h"
#include "db.h"
#include "dispatch.h"
#include "handlers.h"
#include "log.h"
#include "text.h"

/* SO_PEERCRED carries the primary gid only: the supplementary groups come
 * from the group database. */
static bool in_group(uid_t uid, gid_t primary, gid_t wanted)
{
	if (primary == wanted)
		return true;
	struct passwd *pw = getpwuid(uid);
	if (!pw)
		return false;
	int n = 64;
	for (int tries = 0; tries < 4; tries++) {
		gid_t *groups = malloc(sizeof *groups * (size_t)n);
		if (!groups)
			return false;
		int want = n;
		int rc = getgrouplist(pw->pw_name, pw->pw_gid, groups, &want);
		if (rc >= 0) {
			bool found = false;
			for (int i = 0; i < want && !found; i++)
				found = groups[i] == wanted;
			free(groups);
			return found;
		}
		free(groups);
		n = want > n ? want : n * 2;
	}
	return false;
}

enum cmd_role peer_role(const struct adfd *d, uid_t uid, gid_t gid)
{
	/* The uid adfd runs as is an admin, so whoever starts it may use it. */
	if (uid == 0 || uid == geteuid())
		return ROLE_ADMIN;
	if (d->admin_gid_set && in_group(uid, gid, d->admin_gid))
		return ROLE_ADMIN;
	if (d->read_gid_set && in_group(uid, gid, d->read_gid))
		return ROLE_READ;
	return ROLE_NONE;
}

enum cmd_role peer_role_groups(const struct adfd *d, uid_t uid, gid_t gid, const gid_t *groups,
			       size_t n)
{
	if (uid == 0 || uid == geteuid())
		return ROLE_ADMIN;
	bool admin = d->admin_gid_set && gid == d->admin_gid;
	bool reader = d->read_gid_set && gid == d->read_gid;
	for (size_t i = 0; i < n; i++) {
		admin |= d->admin_gid_set && groups[i] == d->admin_gid;
		reader |= d->read_gid_set && groups[i] == d->read_gid;
	}
	return admin ? ROLE_ADMIN : reader ? ROLE_READ : ROLE_NONE;
}

/* A write runs in a savepoint of the open group (core/work.c). A read
 * runs outside any transaction: this connection is the only writer, and
 * the loop runs one handler at a time, so nothing changes under it. */
static int run(struct req *r, bool write)
{
	const struct binding *handler = binding_for(r->cmd);
	if (!handler)
		return req_fail(r, ADF_E_INTERNAL, "%s has no handler", r->cmd->name);
	if (!write)
		return binding_run(handler, r);
	if (work_group_begin(&r->w) < 0)
		return -1;
	int rc = binding_run(handler, r);
	bool keep = rc == 0 && !r->dry_run;
	/* a change may mean mail: notices, reminders to plan again */
	if (keep)
		r->w.events |= WORK_CHANGED;
	work_group_end(&r->w, rc, keep, (long long)r->peer->uid, r->cmd->name);
	if (rc < 0 && r->stream) {
		r->stream->free(r->stream);
		r->stream = NULL;
	}
	return rc;
}

json_t *dispatch_line(struct adfd *d, const struct peer *peer, const char *line, size_t len,
		      struct stream **stream)
{
	*stream = NULL;
	struct proto_request in;
	json_t *answer = NULL;
	struct req r = {.peer = peer};
	work_init(&r.w, d);
	if (proto_read_request(line, len, &in, r.w.err.message, sizeof r.w.err.message) !=
	    PROTO_READ_OK) {
		answer = proto_answer_error(in.id, ADF_E_BAD_REQUEST, r.w.err.message);
		goto out;
	}
	json_t *id = in.id, *args = in.args;
	r.cmd = cmd_find(in.cmd);
	if (!r.cmd) {
		snprintf(r.w.err.message, sizeof r.w.err.message, "unknown command \"%.60s\"",
			 in.cmd);
		answer = proto_answer_error(id, ADF_E_BAD_REQUEST, r.w.err.message);
		goto out;
	}
	r.args = args ? json_incref(args) : json_object();
	if (!json_is_object(r.args)) {
		answer = proto_answer_error(id, ADF_E_BAD_REQUEST, "args: expected an object");
		goto out;
	}
	/* who may ask comes before what was asked: a stranger learns nothing
	 * about a command's arguments */
	enum cmd_role needed = cmd_required_role(r.cmd, r.args);
	if (peer->role < needed) {
		if (!peer->has_cred)
			work_fail(&r.w, ADF_E_FORBIDDEN, "no peer credentials: refused");
		else if (peer->role == ROLE_NONE)
			work_fail(&r.w, ADF_E_FORBIDDEN, "%s needs the %s role; uid %u has no role",
				  r.cmd->name, cmd_role_name(needed), (unsigned)peer->uid);
		else
			work_fail(&r.w, ADF_E_FORBIDDEN, "%s needs the %s role; uid %u has %s",
				  r.cmd->name, cmd_role_name(needed), (unsigned)peer->uid,
				  cmd_role_name(peer->role));
		if (needed == ROLE_ADMIN && peer->has_cred)
			audit_refused(d->db, (long long)peer->uid, r.cmd->name);
		answer = proto_answer_refusal(id, &r.w.err);
		goto out;
	}
	if (cmd_validate(r.cmd, r.args, &r.w.err) < 0) {
		answer = proto_answer_refusal(id, &r.w.err);
		goto out;
	}
	if (run(&r, needed == ROLE_ADMIN) < 0) {
		answer = proto_answer_refusal(id, &r.w.err);
		if (answer && r.w.err_details)
			json_object_set(json_object_get(answer, "error"), "details",
					r.w.err_details);
		goto out;
	}
	if (needed == ROLE_ADMIN)
		log_info("uid %u: %s %s", (unsigned)peer->uid, r.cmd->name, r.w.target);
	answer = proto_answer(id, json_incref(r.data), r.stream != NULL);
	*stream = r.stream;
out:
	json_decref(r.data);
	json_decref(r.w.err_details);
	json_decref(r.args);
	proto_request_free(&in);
	return answer ? answer : proto_answer_error(NULL, ADF_E_INTERNAL, "out of memory");
}
