/* The socket commands of the sysadmin and the data protection officer:
 * reload, backup, the audit log, forgetting an address, the privacy
 * report. */
#include "config.h"

#include "adfd.h"
#include "audit.h"
#include "backup.h"
#include "handlers.h"
#include "privacy.h"
#include "request.h"
#include "systemd.h"

int h_reload(struct req *r)
{
	systemd_notify("RELOADING=1");
	int rc = adfd_reload(r->w.adfd, &r->w.err);
	systemd_notify("READY=1");
	/* new reminder rules may mean mail: the reload is a change */
	return rc < 0 ? -1 : req_answer(r, json_pack("{s:s?}", "config", r->w.adfd->cfg.path));
}

int h_backup(struct req *r)
{
	return req_answer(r, backup_make(&r->w, arg_str(r, "file")));
}

int h_audit_list(struct req *r)
{
	return req_answer(r, audit_list(r->w.db, &r->w.err, json_object_get(r->args, "since"),
					json_object_get(r->args, "uid"), arg_int(r, "limit", 100)));
}

int h_person_forget(struct req *r)
{
	return req_answer(r, privacy_forget(&r->w, arg_str(r, "email")));
}

int h_privacy_report(struct req *r)
{
	return req_answer(r, privacy_report(&r->w));
}
