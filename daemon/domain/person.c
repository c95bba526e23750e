/* The directory of people, shared by the whole tour: one "Jean-Marie
 * Bernard", many appearances. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "date.h"
#include "db.h"
#include "dispatch.h"
#include "handlers.h"
#include "person.h"
#include "text.h"

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

static json_t *decorate(json_t *row)
{
	char name[320];
	person_display_name(row, name, sizeof name);
	json_object_set_new(row, "name", json_string(name));
	return row;
}

json_t *person_get(struct req *r, long long id)
{
	sqlite3_stmt *st = db_query(r->db, &r->err, PERSON_SELECT " WHERE id = ?", "I", id);
	if (!st)
		return NULL;
	int rc = db_step(r->db, st, &r->err);
	if (rc == 0)
		req_fail(r, ADF_E_NOT_FOUND, "no person %lld", id);
	if (rc <= 0)
		return NULL;
	json_t *row = decorate(db_row_json(st));
	sqlite3_reset(st);
	return row;
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
static int check_twins(struct req *r, json_t *p, long long self, const char *name_key)
{
	const char *email = get(p, "email");
	if (email && !email_valid(email))
		return req_fail(r, ADF_E_BAD_REQUEST, "email: \"%s\" is not a valid e-mail address",
				email);
	long long other = 0;
	if (email) {
		other = db_scalar(r->db, &r->err,
				  "SELECT id FROM person WHERE lower(email) = lower(?) AND id <> ?",
				  "sI", email, self);
		if (other < 0)
			return -1;
		if (other > 0)
			return req_fail(r, ADF_E_CONFLICT, "person %lld already has the e-mail %s",
					other, email);
	}
	if (arg_bool(r, "force"))
		return 0;
	other = db_scalar(r->db, &r->err, "SELECT id FROM person WHERE name_key = ? AND id <> ?",
			  "sI", name_key, self);
	if (other < 0)
		return -1;
	if (other > 0) {
		json_t *twin = person_get(r, other);
		if (!twin)
			return -1;
		const char *role = get(twin, "role");
		req_fail(r, ADF_E_CONFLICT,
			 "%s exists already as person %lld%s%s: use force to add a namesake",
			 get(twin, "name"), other, role ? ", " : "", role ? role : "");
		json_decref(twin);
		return -1;
	}
	return 0;
}

static int store(struct req *r, json_t *p, long long id)
{
	char name_key[256], both[220], now[21];
	snprintf(both, sizeof both, "%s %s", get(p, "first_name"), get(p, "last_name"));
	text_fold(both, name_key, sizeof name_key);
	if (check_twins(r, p, id, name_key) < 0)
		return -1;
	db_now(now);
	int rc;
	if (id == 0) {
		rc = db_exec(
		    r->db, &r->err,
		    "INSERT INTO person (civility, first_name, last_name, role, organisation,"
		    " email, phone, name_key, created_at, updated_at)"
		    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
		    "jjjjjjjsss", json_object_get(p, "civility"), json_object_get(p, "first_name"),
		    json_object_get(p, "last_name"), json_object_get(p, "role"),
		    json_object_get(p, "organisation"), json_object_get(p, "email"),
		    json_object_get(p, "phone"), name_key, now, now);
		id = db_last_id(r->db);
	} else {
		rc = db_exec(
		    r->db, &r->err,
		    "UPDATE person SET civility = ?, first_name = ?, last_name = ?, role = ?,"
		    " organisation = ?, email = ?, phone = ?, name_key = ?, updated_at = ?"
		    " WHERE id = ?",
		    "jjjjjjjssI", json_object_get(p, "civility"), json_object_get(p, "first_name"),
		    json_object_get(p, "last_name"), json_object_get(p, "role"),
		    json_object_get(p, "organisation"), json_object_get(p, "email"),
		    json_object_get(p, "phone"), name_key, now, id);
	}
	if (rc < 0)
		return -1;
	/* logs and the audit name people by id, never by e-mail */
	snprintf(r->target, sizeof r->target, "person:%lld", id);
	r->data = person_get(r, id);
	return r->data ? 0 : -1;
}

static void apply_args(struct req *r, json_t *p)
{
	for (size_t i = 0; i < FIELD_COUNT; i++)
		if (arg_has(r, fields[i].arg))
			json_object_set(p, fields[i].column,
					json_object_get(r->args, fields[i].arg));
}

int h_person_add(struct req *r)
{
	json_t *p = json_object();
	apply_args(r, p);
	int rc = store(r, p, 0);
	json_decref(p);
	return rc;
}

int h_person_update(struct req *r)
{
	long long id = arg_int(r, "id", 0);
	json_t *p = person_get(r, id);
	if (!p)
		return -1;
	apply_args(r, p);
	int rc = store(r, p, id);
	json_decref(p);
	return rc;
}

int h_person_list(struct req *r)
{
	char key[256] = "";
	if (arg_has(r, "search"))
		text_fold(arg_str(r, "search"), key, sizeof key);
	sqlite3_stmt *st =
	    db_query(r->db, &r->err,
		     PERSON_SELECT " WHERE instr(name_key, ?) > 0"
				   " ORDER BY last_name COLLATE NOCASE, first_name, id",
		     "s", key);
	if (!st)
		return -1;
	r->data = json_array();
	int rc;
	while ((rc = db_step(r->db, st, &r->err)) == 1)
		json_array_append_new(r->data, decorate(db_row_json(st)));
	return rc;
}

json_t *person_schedule_json(struct req *r, long long id)
{
	sqlite3_stmt *st =
	    db_query(r->db, &r->err,
		     "SELECT a.id AS atelier, a.date, a.city, a.status AS atelier_status,"
		     " s.id AS session, s.start_time AS start, s.end_time AS \"end\", s.kind,"
		     " s.title, p.role FROM participation p JOIN session s ON s.id = p.session_id"
		     " JOIN atelier a ON a.id = s.atelier_id WHERE p.person_id = ?"
		     " ORDER BY a.date, s.start_time, s.id",
		     "I", id);
	if (!st)
		return NULL;
	json_t *list = json_array();
	int rc;
	while ((rc = db_step(r->db, st, &r->err)) == 1) {
		json_t *row = db_row_json(st);
		char buf[128];
		if (datetime_fr(buf, sizeof buf, get(row, "date"), NULL))
			json_object_set_new(row, "when_fr", json_string(buf));
		json_array_append_new(list, row);
	}
	if (rc < 0) {
		json_decref(list);
		return NULL;
	}
	return list;
}

int h_person_show(struct req *r)
{
	long long id = arg_int(r, "id", 0);
	r->data = person_get(r, id);
	if (!r->data)
		return -1;
	json_t *schedule = person_schedule_json(r, id);
	if (!schedule)
		return -1;
	json_object_set_new(r->data, "sessions", schedule);
	return 0;
}

int h_person_schedule(struct req *r)
{
	long long id = arg_int(r, "id", 0);
	json_t *p = person_get(r, id);
	if (!p)
		return -1;
	json_decref(p);
	r->data = person_schedule_json(r, id);
	return r->data ? 0 : -1;
}
