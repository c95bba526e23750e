/* The hot requests (register, atelier.stats, registration.list) must not
 * scan the big tables: every statement they prepare is run through
 * EXPLAIN QUERY PLAN, and a full scan of registration, registration_event,
 * outbox or audit fails the test. Their cost then stays flat from a
 * thousand registrations to a million (bench/run scale). */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "adfd.h"
#include "db.h"
#include "dispatch.h"
#include "log.h"

static struct adfd d;

static void request(const char *line)
{
	struct peer admin = {.has_cred = true, .uid = 0, .gid = 0, .role = ROLE_ADMIN};
	struct stream *stream = NULL;
	json_t *answer = dispatch_line(&d, &admin, line, strlen(line), &stream);
	struct adf_error err;
	assert_int_equal(work_group_commit(&d, &err), 0);
	if (!json_is_true(json_object_get(answer, "ok"))) {
		char *text = json_dumps(answer, 0);
		fail_msg("%s -> %s", line, text);
	}
	assert_null(stream);
	json_decref(answer);
}

/* The names a plan may scan in full: the small tables and their aliases
 * are fine; the big ones are not. */
static const char *const big[] = {"registration", "registration_event", "outbox", "audit", NULL};

static bool scans_big_table(const char *detail, const char *sql)
{
	if (strncmp(detail, "SCAN ", 5) || strstr(detail, " USING "))
		return false;
	char name[64];
	if (sscanf(detail + 5, "%63s", name) != 1)
		return false;
	for (int i = 0; big[i]; i++) {
		if (!strcmp(name, big[i]))
			return true;
		/* an alias: "FROM registration r" */
		char alias[96];
		snprintf(alias, sizeof alias, "%s %s ", big[i], name);
		if (strstr(sql, alias))
			return true;
		snprintf(alias, sizeof alias, "%s %s", big[i], name);
		size_t n = strlen(alias), len = strlen(sql);
		if (len >= n && !strcmp(sql + len - n, alias))
			return true;
	}
	return false;
}

static void hot_requests_use_indexes(void **state)
{
	(void)state;
	/* a coming day, relative to today (forced: it may be a holiday) */
	char add[300], day[11];
	time_t ahead = time(NULL) + 100 * 86400;
	strftime(day, sizeof day, "%Y-%m-%d", gmtime(&ahead));
	snprintf(add, sizeof add,
		 "{\"id\":1,\"cmd\":\"atelier.add\",\"args\":{\"departement\":\"05\","
		 "\"date\":\"%s\",\"time\":\"09:00\",\"title\":\"T\",\"venue\":\"V\","
		 "\"city\":\"Gap\",\"capacity\":2,\"force\":true}}",
		 day);
	request(add);
	const char *people[] = {"a", "b", "c", NULL};
	for (int i = 0; people[i]; i++) {
		char line[300];
		snprintf(line, sizeof line,
			 "{\"cmd\":\"register\",\"args\":{\"atelier\":1,\"name\":\"%s\","
			 "\"email\":\"%s@example.fr\",\"category\":\"public\"}}",
			 people[i], people[i]);
		request(line);
	}
	request("{\"cmd\":\"atelier.stats\",\"args\":{\"id\":1}}");
	request("{\"cmd\":\"registration.list\",\"args\":{\"atelier\":1,\"limit\":50}}");
	request("{\"cmd\":\"registration.cancel\",\"args\":{\"id\":1}}");

	sqlite3 *conn = db_connection(d.db);
	int checked = 0, bad = 0;
	const char *sql;
	for (size_t i = 0; (sql = db_cached_sql(d.db, i)); i++) {
		char *explain = sqlite3_mprintf("EXPLAIN QUERY PLAN %s", sql);
		sqlite3_stmt *st;
		assert_int_equal(sqlite3_prepare_v2(conn, explain, -1, &st, NULL), SQLITE_OK);
		while (sqlite3_step(st) == SQLITE_ROW) {
			const char *detail = (const char *)sqlite3_column_text(st, 3);
			if (scans_big_table(detail, sql)) {
				print_error("full scan: %s\n  in: %s\n", detail, sql);
				bad++;
			}
		}
		sqlite3_finalize(st);
		sqlite3_free(explain);
		checked++;
	}
	/* the requests above prepare a few dozen statements */
	assert_true(checked > 10);
	assert_int_equal(bad, 0);
}

/* The check itself catches a scan. */
static void a_scan_is_seen(void **state)
{
	(void)state;
	assert_true(scans_big_table("SCAN registration", "SELECT * FROM registration"));
	assert_true(scans_big_table("SCAN r", "SELECT * FROM registration r WHERE name = ?"));
	assert_false(scans_big_table("SCAN r USING INDEX registration_queue",
				     "SELECT * FROM registration r"));
	assert_false(scans_big_table("SCAN atelier", "SELECT * FROM atelier"));
	assert_false(
	    scans_big_table("SEARCH registration USING INDEX registration_email (atelier_id=?)",
			    "SELECT 1 FROM registration"));
}

int main(void)
{
	struct adf_error err;
	log_init(LOG_LEVEL_ERROR);
	log_set_level(LOG_LEVEL_ERROR);
	if (settings_load(NULL, &d.cfg, &err) < 0 ||
	    adfd_load_templates(&d.cfg, &d.templates, &err) < 0 ||
	    db_open(&d.db, ":memory:", &err) < 0) {
		fprintf(stderr, "setup: %s\n", err.message);
		return 1;
	}
	d.started = 1;
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(a_scan_is_seen),
	    cmocka_unit_test(hot_requests_use_indexes),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	db_close(d.db);
	templates_free(&d.templates);
	settings_free(&d.cfg);
	return rc;
}
