/* The directory of people, shared by the whole tour: one "Jean-Marie
 * Bernard", many appearances. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "date.h"
#include "db.h"
#include "person.h"
#include "text.h"
#include "work.h"

#define PERSON_SELECT                                                                              \
	"SELECT id, civility, first_name, last_name, role, organisation, email, phone,"            \
	" created_at, updated_at FROM person"

void person_display_name(json_t *p, char *buf, size_t n)
{
	const char *civility = json_string_value(json_object_get(p, "civility"));
	snprintf(buf, n, "%s%s%s %s", civility ? civility : "", civility ? " " : "",
		 json_string_value(json_object_get(p, "first_name")),
		 json_string_value(json_object_get(p, "last_name")));
}

static json_t *decorate(json_t *row, void *unused)
{
	(void)unused;
	char name[320];
	person_display_name(row, name, sizeof name);
	json_object_set_new(row, "name", json_string(name));
	return row;
}

json_t *person_get(struct work *w, long long id)
{
	json_t *row = db_row(
	    w->db, db_query(w->db, &w->err, PERSON_SELECT " WHERE id = ?", "I", id), &w->err);
	if (!row && w->err.code == ADF_E_NOT_FOUND)
		work_fail(w, ADF_E_NOT_FOUND, "no person %lld", id);
	return row ? decorate(row, NULL) : NULL;
}

/* The fields of a person as stored, after the arguments are applied. */
static const struct {
	const char *arg, *column;
} fields[] = {
    {"civility", "civility"}, {"first", "first_name"}, {"last", "last_name"}, {"role", "role"},
    {"org", "organisation"},  {"email", "email"},      {"phone", "phone"},
};
#define FIELD_COUNT (sizeof fields / sizeof fields[0])

static const char *get(json_t *p, const char *column)
{
	return json_string_value(json_object_get(p, column));
}

/* An e-mail is one person's; a same name is likely a twin: refused unless
 * forced, naming the one already there. */
static int check_twins(struct work *w, json_t *p, long long self, const char *name_key, bool force)
{
	const char *email = get(p, "email");
	if (email && !email_valid(email))
		return work_fail(w, ADF_E_BAD_REQUEST,
				 "email: \"%s\" is not a valid e-mail address", email);
	long long other = 0;
	if (email) {
		other = db_scalar(w->db, &w->err,
				  "SELECT id FROM person WHERE lower(email) = lower(?) AND id <> ?",
				  "sI", email, self);
		if (other < 0)
			return -1;
		if (other > 0)
			return work_fail(w, ADF_E_CONFLICT, "person %lld already has the e-mail %s",
					 other, email);
	}
	if (force)
		return 0;
	other = db_scalar(w->db, &w->err, "SELECT id FROM person WHERE name_key = ? AND id <> ?",
			  "sI", name_key, self);
	if (other < 0)
		return -1;
	if (other > 0) {
		json_t *twin = person_get(w, other);
		if (!twin)
			return -1;
		const char *role = get(twin, "role");
		work_fail(w, ADF_E_CONFLICT,
			  "%s exists already as person %lld%s%s: use force to add a namesake",
			  get(twin, "name"), other, role ? ", " : "", role ? role : "");
		json_decref(twin);
		return -1;
	}
	return 0;
}

static json_t *store(struct work *w, json_t *p, long long id, bool force)
{
	char name_key[256], both[220], now[21];
	snprintf(both, sizeof both, "%s %s", get(p, "first_name"), get(p, "last_name"));
	text_fold(both, name_key, sizeof name_key);
	if (check_twins(w, p, id, name_key, force) < 0)
		return NULL;
	db_now(now);
	int rc;
	if (id == 0) {
		rc = db_exec(
		    w->db, &w->err,
		    "INSERT INTO person (civility, first_name, last_name, role, organisation,"
		    " email, phone, name_key, created_at, updated_at)"
		    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
		    "jjjjjjjsss", json_object_get(p, "civility"), json_object_get(p, "first_name"),
		    json_object_get(p, "last_name"), json_object_get(p, "role"),
		    json_object_get(p, "organisation"), json_object_get(p, "email"),
		    json_object_get(p, "phone"), name_key, now, now);
		id = db_last_id(w->db);
	} else {
		rc = db_exec(
		    w->db, &w->err,
		    "UPDATE person SET civility = ?, first_name = ?, last_name = ?, role = ?,"
		    " organisation = ?, email = ?, phone = ?, name_key = ?, updated_at = ?"
		    " WHERE id = ?",
		    "jjjjjjjssI", json_object_get(p, "civility"), json_object_get(p, "first_name"),
		    json_object_get(p, "last_name"), json_object_get(p, "role"),
		    json_object_get(p, "organisation"), json_object_get(p, "email"),
		    json_object_get(p, "phone"), name_key, now, id);
	}
	if (rc < 0)
		return NULL;
	/* logs and the audit name people by id, never by e-mail */
	snprintf(w->target, sizeof w->target, "person:%lld", id);
	return person_get(w, id);
}

/* changes: by the table's names (absent or null: kept). */
static void apply_changes(json_t *p, json_t *changes)
{
	for (size_t i = 0; i < FIELD_COUNT; i++) {
		json_t *value = json_object_get(changes, fields[i].arg);
		if (value && !json_is_null(value))
			json_object_set(p, fields[i].column, value);
	}
}

json_t *person_add(struct work *w, json_t *changes, bool force)
{
	json_t *p = json_object();
	apply_changes(p, changes);
	json_t *person = store(w, p, 0, force);
	json_decref(p);
	return person;
}

json_t *person_update(struct work *w, long long id, json_t *changes, bool force)
{
	json_t *p = person_get(w, id);
	if (!p)
		return NULL;
	apply_changes(p, changes);
	json_t *person = store(w, p, id, force);
	json_decref(p);
	return person;
}

json_t *person_list(struct work *w, const char *search)
{
	char key[256] = "";
	if (search)
		text_fold(search, key, sizeof key);
	sqlite3_stmt *st =
	    db_query(w->db, &w->err,
		     PERSON_SELECT " WHERE instr(name_key, ?) > 0"
				   " ORDER BY last_name COLLATE NOCASE, first_name, id",
		     "s", key);
	return db_rows_map(w->db, st, &w->err, decorate, NULL);
}

static json_t *with_when_fr(json_t *row, void *unused)
{
	(void)unused;
	char buf[128];
	if (datetime_fr(buf, sizeof buf, get(row, "date"), NULL))
		json_object_set_new(row, "when_fr", json_string(buf));
	return row;
}

json_t *person_schedule_json(struct work *w, long long id)
{
	sqlite3_stmt *st =
	    db_query(w->db, &w->err,
		     "SELECT a.id AS atelier, a.date, a.city, a.status AS atelier_status,"
		     " s.id AS session, s.start_time AS start, s.end_time AS \"end\", s.kind,"
		     " s.title, p.role FROM participation p JOIN session s ON s.id = p.session_id"
		     " JOIN atelier a ON a.id = s.atelier_id WHERE p.person_id = ?"
		     " ORDER BY a.date, s.start_time, s.id",
		     "I", id);
	return db_rows_map(w->db, st, &w->err, with_when_fr, NULL);
}

json_t *person_show(struct work *w, long long id)
{
	json_t *person = person_get(w, id);
	json_t *schedule = person ? person_schedule_json(w, id) : NULL;
	if (!schedule) {
		json_decref(person);
		return NULL;
	}
	json_object_set_new(person, "sessions", schedule);
	return person;
}

json_t *person_schedule(struct work *w, long long id)
{
	json_t *p = person_get(w, id);
	if (!p)
		return NULL;
	json_decref(p);
	return person_schedule_json(w, id);
}
