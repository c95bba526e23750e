/* The live view of an Atelier's day: a live stream (server.c) that sends
 * a new view of the day each time something is committed. */
#include "config.h"

#include <stdlib.h>

#include "atelier.h"
#include "checkin.h"
#include "date.h"
#include "handlers.h"
#include "outbox.h"
#include "request.h"
#include "server.h"
#include "stats.h"

#define RECENT 5 /* the last people in, shown */

struct watch_stream {
	struct stream base;
	long long atelier;
	json_t *last; /* the view sent last, its time aside */
};

/* Registrations, seats, the waiting list, the door and the mail, now. */
static json_t *day_view(struct adfd *d, long long id, struct adf_error *err)
{
	struct work w;
	work_init(&w, d);
	json_t *atelier = atelier_get(&w, id);
	json_t *stats = atelier ? stats_atelier(&w, id) : NULL;
	json_t *mail = stats ? outbox_counts_atelier(d->db, &w.err, id) : NULL;
	json_t *recent = mail ? checkin_recent(&w, id, RECENT) : NULL;
	json_t *view = NULL;
	if (recent) {
		char now[INSTANT_LEN];
		instant_format(time(NULL), now);
		view = json_pack(
		    "{s:{s:O,s:O,s:O,s:O,s:O,s:O,s:O,s:O},s:O,s:O,s:O,s:s}", "atelier", "id",
		    json_object_get(atelier, "id"), "title", json_object_get(atelier, "title"),
		    "date", json_object_get(atelier, "date"), "time",
		    json_object_get(atelier, "time"), "when_fr",
		    json_object_get(atelier, "when_fr"), "city", json_object_get(atelier, "city"),
		    "capacity", json_object_get(atelier, "capacity"), "status",
		    json_object_get(atelier, "status"), "registrations", stats, "mail", mail,
		    "recent", recent, "at", now);
	}
	json_decref(atelier);
	json_decref(stats);
	json_decref(mail);
	json_decref(recent);
	if (!view)
		*err = w.err;
	return view;
}

/* The last view computed, for the watchers of the same Atelier woken by
 * the same commits: a view is read once, however many watch it. */
static struct {
	long long atelier;
	unsigned long long generation;
	json_t *view;
} memo;
static int watchers;

static json_t *view_of(struct adfd *d, long long atelier, struct adf_error *err)
{
	if (!memo.view || memo.atelier != atelier || memo.generation != d->generation) {
		json_t *view = day_view(d, atelier, err);
		if (!view)
			return NULL;
		json_decref(memo.view);
		memo.view = view;
		memo.atelier = atelier;
		memo.generation = d->generation;
	}
	return json_deep_copy(memo.view);
}

static int watch_next(struct stream *s, struct adfd *d, json_t **chunk, bool *done,
		      struct adf_error *err)
{
	*done = false;
	*chunk = NULL;
	if (!s->dirty)
		return 0;
	s->dirty = false;
	struct watch_stream *watch = (struct watch_stream *)s;
	json_t *view = view_of(d, watch->atelier, err);
	if (!view)
		return -1;
	/* a commit that changed nothing of this day (the planner's, another
	 * Atelier's) says nothing to its watchers */
	json_t *at = json_incref(json_object_get(view, "at"));
	json_object_del(view, "at");
	if (watch->last && json_equal(view, watch->last)) {
		json_decref(view);
		json_decref(at);
		return 0;
	}
	json_decref(watch->last);
	watch->last = json_deep_copy(view);
	json_object_set_new(view, "at", at);
	*chunk = view;
	return 0;
}

static void watch_free(struct stream *s)
{
	json_decref(((struct watch_stream *)s)->last);
	free(s);
	if (--watchers == 0) {
		json_decref(memo.view);
		memo.view = NULL;
	}
}

int h_watch(struct req *r)
{
	long long id = arg_int(r, "id", 0);
	if (id == 0 && (id = checkin_atelier_now(&r->w)) < 0)
		return -1;
	if (!work_found(atelier_get(&r->w, id)))
		return -1;
	/* a reader's streams never last: a few per uid, so that readers
	 * cannot hold every slot all day (admins apart) */
	int limit = r->w.adfd->cfg.max_watchers_per_uid;
	if (r->peer->role != ROLE_ADMIN &&
	    server_watchers_of_uid(r->w.adfd->server, r->peer->uid) >= limit)
		return req_fail(r, ADF_E_UNAVAILABLE,
				"uid %u already watches %d times (limits.max_watchers_per_uid): "
				"close one first",
				(unsigned)r->peer->uid, limit);
	struct watch_stream *watch = calloc(1, sizeof *watch);
	if (!watch)
		return req_fail(r, ADF_E_INTERNAL, "out of memory");
	watch->base.next = watch_next;
	watch->base.free = watch_free;
	watch->base.live = true;
	watch->base.dirty = true; /* the first view at once */
	watch->atelier = id;
	watchers++;
	r->stream = &watch->base;
	return req_answer(r, json_pack("{s:I}", "atelier", (json_int_t)id));
}
