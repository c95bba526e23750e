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

json_t *person_named(json_t *row, void *unused)
{
	(void)unused;
	char name[320];
	person_display_name(row, name, sizeof name);
	json_object_set_new(row, "name", json_string(name));
	return row;
}

json_t *person_get(struct work *w, long long id)
{
	json_t *row = work_row(w, db_query(w->db, &w->err, PERSON_SELECT " WHERE id = ?", "I", id),
			       "no person %lld", id);
	return row ? person_named(row, NULL) : NULL;
}

/* The fields of a person as stored, after the arguments are applied. */
static const struct {
	const char *arg, *column;
} fields[] = {
    {"civility", "civility"}, {"first", "first_name"}, {"last", "last_name"}, {"role", "role"},
    {"org", "organisation"},  {"email", "email"},      {"phone", "phone"},
};
#define FIELD_COUNT (sizeof fields / sizeof fields[0])

/* An e-mail is one person's; a same name is likely a twin: refused unless
 * forced, naming the one already there. */
static int check_twins(struct work *w, json_t *p, long long self, const char *name_key, bool force)
{
	const char *email = json_str(p, "email");
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
		const char *role = json_str(twin, "role");
		work_fail(w, ADF_E_CONFLICT,
			  "%s exists already as person %lld%s%s: use force to add a namesake",
			  json_str(twin, "name"), other, role ? ", " : "", role ? role : "");
		json_decref(twin);
		return -1;
	}
	return 0;
}

static json_t *store(struct work *w, json_t *p, long long id, bool force)
{
	char name_key[256], both[220], now[21];
	snprintf(both, sizeof both, "%s %s", json_str(p, "first_name"), json_str(p, "last_name"));
	text_fold(both, name_key, sizeof name_key);
	if (check_twins(w, p, id, name_key, force) < 0)
		return NULL;
	db_now(now);
	/* a new person (id 0: NULL) or the same one changed */
	json_t *key = id ? json_integer(id) : NULL;
	int rc = db_exec(
	    w->db, &w->err,
	    "INSERT INTO person (id, civility, first_name, last_name, role, organisation, email,"
	    " phone, name_key, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9,"
	    " ?10, ?10) ON CONFLICT (id) DO UPDATE SET civility = ?2, first_name = ?3,"
	    " last_name = ?4, role = ?5, organisation = ?6, email = ?7, phone = ?8, name_key = ?9,"
	    " updated_at = ?10",
	    "jjjjjjjjss", key, json_object_get(p, "civility"), json_object_get(p, "first_name"),
	    json_object_get(p, "last_name"), json_object_get(p, "role"),
	    json_object_get(p, "organisation"), json_object_get(p, "email"),
	    json_object_get(p, "phone"), name_key, now);
	json_decref(key);
	if (rc < 0)
		return NULL;
	id = id ? id : db_last_id(w->db);
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
	return db_rows_map(w->db, st, &w->err, person_named, NULL);
}

static json_t *with_when_fr(json_t *row, void *unused)
{
	(void)unused;
	char buf[128];
	if (datetime_fr(buf, sizeof buf, json_str(row, "date"), NULL))
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
	return json_with(person, "sessions", person ? person_schedule_json(w, id) : NULL);
}

json_t *person_schedule(struct work *w, long long id)
{
	if (!work_found(person_get(w, id)))
		return NULL;
	return person_schedule_json(w, id);
}
