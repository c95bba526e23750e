/* Migrations: a fresh database, an old one, and one newer than us. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "db.h"
#include "embedded.h"
#include "log.h"

static char path[256];

static int make_path(void **state)
{
	(void)state;
	char dir[] = "/tmp/adf-test-db-XXXXXX";
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/adf.db", dir);
	return 0;
}

static int remove_path(void **state)
{
	(void)state;
	char other[300];
	const char *suffixes[] = {"", "-wal", "-shm"};
	for (int i = 0; i < 3; i++) {
		snprintf(other, sizeof other, "%s%s", path, suffixes[i]);
		unlink(other);
	}
	*strrchr(path, '/') = '\0';
	rmdir(path);
	return 0;
}

static void raw_exec(const char *sql)
{
	sqlite3 *conn;
	assert_int_equal(sqlite3_open(path, &conn), SQLITE_OK);
	assert_int_equal(sqlite3_exec(conn, sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(conn);
}

static void fresh_database(void **state)
{
	(void)state;
	struct db *db;
	struct adf_error err;
	assert_int_equal(db_open(&db, path, &err), 0);
	assert_int_equal(db_schema_version(db), (int)schema_files_len);
	assert_int_equal(db_scalar(db, &err, "SELECT count(*) FROM departement", ""), 101);
	assert_int_equal(db_scalar(db, &err, "PRAGMA foreign_keys", ""), 1);
	assert_int_equal(db_scalar(db, &err, "PRAGMA synchronous", ""), 2); /* FULL */
	assert_int_equal(db_scalar(db, &err, "PRAGMA secure_delete", ""), 1);
	db_close(db);
	/* opening again changes nothing */
	assert_int_equal(db_open(&db, path, &err), 0);
	assert_int_equal(db_scalar(db, &err, "SELECT count(*) FROM departement", ""), 101);
	db_close(db);
}

static void old_database_is_migrated(void **state)
{
	(void)state;
	struct db *db;
	struct adf_error err;
	/* A database made by a build that knew only the first migration. */
	raw_exec(schema_files[0].text);
	raw_exec("PRAGMA user_version = 1;"
		 "INSERT INTO cycle (name, first_month, last_month, created_at)"
		 " VALUES ('Cycle 2017-2018', '2017-09', '2018-06', '2017-06-01T00:00:00Z');");
	assert_int_equal(db_open(&db, path, &err), 0);
	assert_int_equal(db_schema_version(db), (int)schema_files_len);
	assert_int_equal(db_scalar(db, &err, "SELECT count(*) FROM departement", ""), 101);
	assert_int_equal(db_scalar(db, &err, "SELECT count(*) FROM cycle", ""), 1);
	db_close(db);
}

static void newer_database_is_refused(void **state)
{
	(void)state;
	struct db *db = NULL;
	struct adf_error err;
	raw_exec("PRAGMA user_version = 999");
	assert_int_equal(db_open(&db, path, &err), -1);
	assert_null(db);
	assert_non_null(strstr(err.message, "newer than this adfd"));
}

static void constraint_is_a_conflict(void **state)
{
	(void)state;
	struct db *db;
	struct adf_error err;
	assert_int_equal(db_open(&db, path, &err), 0);
	const char *sql = "INSERT INTO cycle (name, first_month, last_month, created_at)"
			  " VALUES (?, '2017-09', '2018-06', 'now')";
	assert_int_equal(db_exec(db, &err, sql, "s", "C"), 1);
	assert_int_equal(db_exec(db, &err, sql, "s", "C"), -1);
	assert_int_equal(err.code, ADF_E_CONFLICT);
	db_close(db);
}

/* Past the first 128 statements, each is still kept once and answered
 * again from the cache, and all are finalized at close (LeakSanitizer
 * and valgrind would see one that is not). */
static void statement_cache_grows(void **state)
{
	(void)state;
	struct db *db;
	struct adf_error err;
	assert_int_equal(db_open(&db, path, &err), 0);
	size_t before = 0;
	while (db_cached_sql(db, before))
		before++;
	/* 300 texts at 300 addresses, each used twice */
	static char texts[300][32];
	for (int round = 0; round < 2; round++)
		for (int i = 0; i < 300; i++) {
			snprintf(texts[i], sizeof texts[i], "SELECT %d", i);
			assert_int_equal(db_scalar(db, &err, texts[i], ""), i);
		}
	size_t after = before;
	while (db_cached_sql(db, after))
		after++;
	assert_int_equal(after - before, 300);
	db_close(db);
}

int main(void)
{
	log_init(LOG_LEVEL_ERROR);
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(fresh_database, make_path, remove_path),
	    cmocka_unit_test_setup_teardown(old_database_is_migrated, make_path, remove_path),
	    cmocka_unit_test_setup_teardown(newer_database_is_refused, make_path, remove_path),
	    cmocka_unit_test_setup_teardown(constraint_is_a_conflict, make_path, remove_path),
	    cmocka_unit_test_setup_teardown(statement_cache_grows, make_path, remove_path),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
