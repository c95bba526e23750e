#include "config.h"

#include <event2/event.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "adfd.h"
#include "audit.h"
#include "db.h"
#include "log.h"
#include "paris.h"

int audit_add(struct db *db, long long uid, const char *command, const char *target,
	      const char *outcome)
{
	char now[21];
	struct adf_error err;
	db_now(now);
	if (db_exec(db, &err,
		    "INSERT INTO audit (at, uid, command, target, outcome) VALUES (?, ?, ?, ?, ?)",
		    "sIsss", now, uid, command, target && *target ? target : NULL, outcome) < 0) {
		log_error("audit: cannot record %s by uid %lld: %s", command, uid, err.message);
		return -1;
	}
	return 0;
}

/* Refusals by one uid of one command within a window share a row: the
 * first is written, the others counted here and written when the window
 * ends, by the flush timer, or at shutdown. A full table writes rows. */
#define REFUSAL_WINDOW 60
#define REFUSAL_SLOTS 64
static struct refusal {
	long long uid, row, count, written; /* count refused, written: count in the row */
	char command[64];
	time_t since;
} refusals[REFUSAL_SLOTS];

static void refusal_write(struct db *db, struct refusal *f)
{
	struct adf_error err;
	if (f->row && f->count > f->written &&
	    db_exec(db, &err, "UPDATE audit SET count = ? WHERE id = ?", "II", f->count, f->row) <
		0)
		log_error("audit: cannot count refusals of %s by uid %lld: %s", f->command, f->uid,
			  err.message);
	f->written = f->count;
}

void audit_refused(struct db *db, long long uid, const char *command)
{
	time_t now = time(NULL);
	struct refusal *slot = NULL;
	for (size_t i = 0; i < REFUSAL_SLOTS && !slot; i++)
		if (refusals[i].row && refusals[i].uid == uid &&
		    !strcmp(refusals[i].command, command))
			slot = &refusals[i];
	if (slot && now - slot->since < REFUSAL_WINDOW) {
		slot->count++;
		return;
	}
	if (!slot) {
		/* a free slot, or the oldest window's */
		slot = &refusals[0];
		for (size_t i = 0; i < REFUSAL_SLOTS && slot->row; i++)
			if (!refusals[i].row || refusals[i].since < slot->since)
				slot = &refusals[i];
	}
	refusal_write(db, slot);
	*slot = (struct refusal){.uid = uid, .count = 1, .written = 1, .since = now};
	if (audit_add(db, uid, command, NULL, "forbidden") == 0) {
		snprintf(slot->command, sizeof slot->command, "%s", command);
		slot->row = db_last_id(db);
	}
}

void audit_flush(struct db *db)
{
	for (size_t i = 0; i < REFUSAL_SLOTS; i++)
		refusal_write(db, &refusals[i]);
}

static void on_flush_timer(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	audit_flush(((struct adfd *)arg)->db);
}

int audit_start(struct adfd *d)
{
	memset(refusals, 0, sizeof refusals);
	d->audit_timer = event_new(d->base, -1, EV_PERSIST, on_flush_timer, d);
	struct timeval every = {REFUSAL_WINDOW / 2, 0};
	return d->audit_timer ? event_add(d->audit_timer, &every) : -1;
}

void audit_stop(struct adfd *d)
{
	if (d->db)
		audit_flush(d->db);
	if (d->audit_timer)
		event_free(d->audit_timer);
	d->audit_timer = NULL;
}

json_t *audit_list(struct db *db, struct adf_error *err, json_t *since, json_t *uid,
		   long long limit)
{
	/* a day as people say it: from midnight in Paris */
	char from[21];
	const char *day = json_string_value(since);
	if (day && paris_to_utc(day, "00:00", from) < 0)
		snprintf(from, sizeof from, "%s", day);
	sqlite3_stmt *st = db_query(db, err,
				    "SELECT id, at, uid, command, target, outcome, count FROM audit"
				    " WHERE (?1 IS NULL OR at >= ?1) AND (?2 IS NULL OR uid = ?2)"
				    " ORDER BY id DESC LIMIT ?3",
				    "sjI", day ? from : NULL, uid, limit);
	json_t *rows = db_rows_json(db, st, err);
	/* refusals counted and not yet written show their count all the same:
	 * a read writes nothing */
	size_t i;
	json_t *row;
	json_array_foreach(rows, i, row)
	{
		long long id = json_integer_value(json_object_get(row, "id"));
		for (size_t k = 0; k < REFUSAL_SLOTS; k++)
			if (refusals[k].row == id && refusals[k].count > refusals[k].written)
				json_object_set_new(row, "count", json_integer(refusals[k].count));
	}
	return rows;
}

int audit_delete_before(struct db *db, struct adf_error *err, const char *day)
{
	return db_exec(db, err, "DELETE FROM audit WHERE at < ?", "s", day);
}
