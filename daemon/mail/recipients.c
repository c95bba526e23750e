/* To whom a mail about an Atelier goes: its registrants (confirmed or
 * present, those present or those who did not come, the waiting list) and
 * its speakers, one mail to one address. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "db.h"
#include "recipients.h"
#include "registration.h"
#include "settings.h"
#include "work.h"

/* One recipient, by the address as registrations compare it; its dedupe
 * key part is "r<registration id>" or "p<person id>". Its name in its
 * parts and its role give its greeting. */
static void add_person(json_t *people, sqlite3_stmt *st, char kind, long long position)
{
	const char *email = (const char *)sqlite3_column_text(st, 1);
	char key[256], dedupe[32];
	registration_email_key(email, key, sizeof key);
	snprintf(dedupe, sizeof dedupe, "%c%lld", kind, (long long)sqlite3_column_int64(st, 0));
	json_object_set_new(people, key,
			    json_pack("{s:s,s:s,s:s?,s:s?,s:s?,s:s?,s:I,s:I,s:s}", "email", email,
				      "name", (const char *)sqlite3_column_text(st, 2), "civility",
				      (const char *)sqlite3_column_text(st, 3), "first_name",
				      (const char *)sqlite3_column_text(st, 4), "last_name",
				      (const char *)sqlite3_column_text(st, 5), "role",
				      (const char *)sqlite3_column_text(st, 6), "registration",
				      (json_int_t)(kind == 'r' ? sqlite3_column_int64(st, 0) : 0),
				      "position", (json_int_t)position, "dedupe", dedupe));
}

json_t *recipients_of(struct work *ctx, long long atelier, const char *registered_before,
		      int audience, const char *unqueued, long long limit)
{
	json_t *people = json_object();
	char key[256];
	int rc = 0;
	/* each audience of registrants as the statuses it takes */
	bool confirmed = audience & (AUDIENCE_REGISTRANTS | AUDIENCE_NOSHOWS),
	     attended = audience & (AUDIENCE_REGISTRANTS | AUDIENCE_ATTENDEES),
	     waitlisted = audience & AUDIENCE_WAITLISTED;
	if (confirmed || attended || waitlisted) {
		sqlite3_stmt *st =
		    db_query(ctx->db, &ctx->err,
			     "SELECT id, email, name, civility, first_name, last_name, NULL,"
			     " coalesce((SELECT position FROM"
			     " waitlist_position p WHERE p.id = r.id), 0) FROM registration r"
			     " WHERE atelier_id = ?1 AND anonymised_at IS NULL"
			     " AND ((?2 AND status = 'confirmed') OR (?3 AND status = 'attended')"
			     "  OR (?4 AND status = 'waitlisted'))"
			     " AND (?5 IS NULL OR registered_at <= ?5)"
			     " AND (?6 IS NULL OR NOT EXISTS (SELECT 1 FROM planned_mail o"
			     "  WHERE o.dedupe_key = ?6 || 'r' || r.id))"
			     " ORDER BY id LIMIT ?7",
			     "IiiissI", atelier, confirmed, attended, waitlisted, registered_before,
			     unqueued, limit);
		while (st && (rc = db_step(ctx->db, st, &ctx->err)) == 1)
			add_person(people, st, 'r', sqlite3_column_int64(st, 7));
		if (!st || rc < 0)
			goto fail;
	}
	if (audience & AUDIENCE_SPEAKERS) {
		sqlite3_stmt *st = db_query(
		    ctx->db, &ctx->err,
		    "SELECT DISTINCT p.id, p.email, p.first_name || ' ' || p.last_name, p.civility,"
		    " p.first_name, p.last_name, p.role"
		    " FROM person p JOIN participation pa ON pa.person_id = p.id"
		    " JOIN session s ON s.id = pa.session_id WHERE s.atelier_id = ?"
		    " AND p.email IS NOT NULL ORDER BY p.id",
		    "I", atelier);
		while (st && (rc = db_step(ctx->db, st, &ctx->err)) == 1) {
			const char *email = (const char *)sqlite3_column_text(st, 1);
			registration_email_key(email, key, sizeof key);
			/* one mail to one person, speaker and registrant alike; the
			 * speaker's civility and role give the greeting */
			json_t *p = json_object_get(people, key);
			const char *civ = (const char *)sqlite3_column_text(st, 3),
				   *role = (const char *)sqlite3_column_text(st, 6);
			if (p) {
				json_object_set_new(p, "civility",
						    civ ? json_string(civ) : json_null());
				json_object_set_new(p, "role",
						    role ? json_string(role) : json_null());
			} else {
				add_person(people, st, 'p', 0);
			}
		}
		if (!st || rc < 0)
			goto fail;
	}
	return people;
fail:
	json_decref(people);
	return NULL;
}
