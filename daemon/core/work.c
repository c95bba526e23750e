#include "config.h"

#include <stdio.h>

#include "adfd.h"
#include "audit.h"
#include "db.h"
#include "log.h"
#include "work.h"

void work_init(struct work *w, struct adfd *d)
{
	*w = (struct work){.adfd = d, .db = d->db};
}

int work_fail(struct work *w, enum adf_code code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	adf_vfail(&w->err, code, fmt, ap);
	va_end(ap);
	return -1;
}

int work_refuse(struct work *w, enum adf_code code, int reason, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	adf_vfail(&w->err, code, fmt, ap);
	va_end(ap);
	w->reason = reason;
	return -1;
}

json_t *work_row(struct work *w, sqlite3_stmt *st, const char *fmt, ...)
{
	json_t *row = db_row(w->db, st, &w->err);
	if (!row && w->err.code == ADF_E_NOT_FOUND) {
		va_list ap;
		va_start(ap, fmt);
		adf_vfail(&w->err, ADF_E_NOT_FOUND, fmt, ap);
		va_end(ap);
	}
	return row;
}

json_t *work_deleted(struct work *w, int changed, long long id)
{
	(void)w;
	return changed < 0 ? NULL : json_pack("{s:I,s:b}", "id", (json_int_t)id, "deleted", 1);
}

int work_subscribe(struct adfd *d, unsigned events, void (*fn)(struct adfd *d))
{
	if (d->subscribers_len == ADFD_SUBSCRIBERS)
		return -1;
	d->subscribers[d->subscribers_len].events = events;
	d->subscribers[d->subscribers_len++].fn = fn;
	return 0;
}

static void tell(struct adfd *d, unsigned events)
{
	if (events)
		d->generation++;
	for (size_t i = 0; i < d->subscribers_len && events; i++)
		if (d->subscribers[i].events & events)
			d->subscribers[i].fn(d);
}

int work_begin(struct work *w)
{
	w->events = 0;
	return db_begin(w->db, 1, &w->err);
}

int work_end(struct work *w, int rc, long long uid, const char *command)
{
	if (rc == 0) {
		if (command)
			audit_add(w->db, uid, command, w->target, "ok");
		rc = db_commit(w->db, &w->err);
	}
	if (rc < 0) {
		db_rollback(w->db);
		if (command)
			audit_add(w->db, uid, command, w->target, adf_code_name(w->err.code));
		return -1;
	}
	tell(w->adfd, w->events);
	return 0;
}

int work_group_begin(struct work *w)
{
	w->events = 0;
	return db_write_begin(w->db, &w->err);
}

void work_group_end(struct work *w, int rc, bool keep, long long uid, const char *command)
{
	if (keep)
		audit_add(w->db, uid, command, w->target, "ok");
	db_write_end(w->db, keep);
	if (rc < 0)
		audit_add(w->db, uid, command, w->target, adf_code_name(w->err.code));
	if (keep)
		w->adfd->group_events |= w->events;
}

int work_group_commit(struct adfd *d, struct adf_error *err)
{
	unsigned events = d->group_events;
	d->group_events = 0;
	int rc = db_group_commit(d->db, err);
	if (rc < 0)
		log_error("commit: %s", err->message);
	else
		tell(d, events);
	return rc;
}
