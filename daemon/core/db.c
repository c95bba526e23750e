#include "config.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "date.h"
#include "db.h"
#include "embedded.h"
#include "log.h"

struct cached_stmt {
	const char *sql;
	sqlite3_stmt *stmt;
};

struct db {
	sqlite3 *conn;
	struct cached_stmt *cache; /* grows: every statement is kept, finalized at close */
	size_t cached, cache_size;
	/* the group: one transaction holding the writes of many requests */
	bool group_open;
	bool group_lost; /* sqlite rolled it back itself (I/O error, full disk) */
	int group_writes;
	char group_lost_why[200];
	void (*flush)(void *arg);
	void (*schedule)(void *arg);
	void *hook_arg;
};

static int sqlite_fail(struct db *db, struct adf_error *err, int rc, const char *what)
{
	const char *msg = db && db->conn ? sqlite3_errmsg(db->conn) : sqlite3_errstr(rc);
	switch (rc & 0xff) {
	case SQLITE_CONSTRAINT:
		return adf_fail(err, ADF_E_CONFLICT, "%s", msg);
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
	case SQLITE_FULL:
	case SQLITE_IOERR:
	case SQLITE_READONLY:
	case SQLITE_CANTOPEN:
		log_error("database: %s: %s", what, msg);
		return adf_fail(err, ADF_E_UNAVAILABLE, "database unavailable: %s", msg);
	default:
		log_error("database: %s: %s", what, msg);
		return adf_fail(err, ADF_E_INTERNAL, "database error: %s", msg);
	}
}

static int exec_plain(struct db *db, const char *sql, struct adf_error *err)
{
	int rc = sqlite3_exec(db->conn, sql, NULL, NULL, NULL);
	return rc == SQLITE_OK ? 0 : sqlite_fail(db, err, rc, "exec");
}

int db_schema_version(struct db *db)
{
	struct adf_error err;
	return (int)db_scalar(db, &err, "PRAGMA user_version", "");
}

static int migrate(struct db *db, struct adf_error *err)
{
	int version = db_schema_version(db);
	if (version < 0)
		return -1;
	if ((unsigned)version > schema_files_len)
		return adf_fail(err, ADF_E_UNAVAILABLE,
				"the database is at schema version %d, newer than this adfd (%u): "
				"refusing to run on it",
				version, schema_files_len);
	if ((unsigned)version == schema_files_len)
		return 0;
	/* All pending migrations, or none: a failure leaves the old schema. */
	if (db_begin(db, 1, err) < 0)
		return -1;
	for (unsigned i = (unsigned)version; i < schema_files_len; i++) {
		int rc = sqlite3_exec(db->conn, schema_files[i].text, NULL, NULL, NULL);
		if (rc != SQLITE_OK) {
			adf_fail(err, ADF_E_INTERNAL, "migration %s: %s", schema_files[i].name,
				 sqlite3_errmsg(db->conn));
			db_rollback(db);
			return -1;
		}
	}
	char pragma[64];
	snprintf(pragma, sizeof pragma, "PRAGMA user_version = %u", schema_files_len);
	if (exec_plain(db, pragma, err) < 0) {
		db_rollback(db);
		return -1;
	}
	if (db_commit(db, err) < 0)
		return -1;
	log_info("database migrated from schema version %d to %u", version, schema_files_len);
	return 0;
}

int db_open(struct db **out, const char *path, struct adf_error *err)
{
	struct db *db = calloc(1, sizeof *db);
	if (!db)
		return adf_fail(err, ADF_E_INTERNAL, "out of memory");
	int rc =
	    sqlite3_open_v2(path, &db->conn,
			    SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
	if (rc != SQLITE_OK) {
		adf_fail(err, ADF_E_UNAVAILABLE, "cannot open database %s: %s", path,
			 db->conn ? sqlite3_errmsg(db->conn) : sqlite3_errstr(rc));
		db_close(db);
		return -1;
	}
	sqlite3_extended_result_codes(db->conn, 1);
	sqlite3_db_config(db->conn, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL);
	sqlite3_busy_timeout(db->conn, 5000);
	/* An answer "ok" means the write is on disk: WAL with FULL sync. */
	if (exec_plain(db,
		       "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;"
		       "PRAGMA foreign_keys = ON; PRAGMA secure_delete = ON;",
		       err) < 0 ||
	    migrate(db, err) < 0) {
		char msg[sizeof err->message];
		memcpy(msg, err->message, sizeof msg);
		adf_fail(err, err->code, "%s: %.400s", path, msg);
		db_close(db);
		return -1;
	}
	*out = db;
	return 0;
}

void db_close(struct db *db)
{
	if (!db)
		return;
	for (size_t i = 0; i < db->cached; i++)
		sqlite3_finalize(db->cache[i].stmt);
	free(db->cache);
	if (db->conn && sqlite3_close(db->conn) != SQLITE_OK)
		log_error("database: close: %s", sqlite3_errmsg(db->conn));
	free(db);
}

static sqlite3_stmt *stmt_get(struct db *db, const char *sql, struct adf_error *err)
{
	/* SQL texts are string literals: their address identifies them. */
	for (size_t i = 0; i < db->cached; i++)
		if (db->cache[i].sql == sql)
			return db->cache[i].stmt;
	sqlite3_stmt *stmt;
	int rc = sqlite3_prepare_v3(db->conn, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL);
	if (rc != SQLITE_OK) {
		sqlite_fail(db, err, rc, "prepare");
		return NULL;
	}
	if (db->cached == db->cache_size) {
		size_t size = db->cache_size ? db->cache_size * 2 : 128;
		struct cached_stmt *grown = realloc(db->cache, size * sizeof *grown);
		if (!grown) {
			sqlite3_finalize(stmt);
			adf_fail(err, ADF_E_INTERNAL, "out of memory");
			return NULL;
		}
		db->cache = grown;
		db->cache_size = size;
	}
	db->cache[db->cached].sql = sql;
	db->cache[db->cached].stmt = stmt;
	db->cached++;
	return stmt;
}

static int bind_json(sqlite3_stmt *stmt, int i, const json_t *v)
{
	if (!v || json_is_null(v))
		return sqlite3_bind_null(stmt, i);
	if (json_is_integer(v))
		return sqlite3_bind_int64(stmt, i, json_integer_value(v));
	if (json_is_boolean(v))
		return sqlite3_bind_int(stmt, i, json_is_true(v));
	if (json_is_real(v))
		return sqlite3_bind_double(stmt, i, json_real_value(v));
	if (json_is_string(v))
		return sqlite3_bind_text(stmt, i, json_string_value(v), (int)json_string_length(v),
					 SQLITE_TRANSIENT);
	return sqlite3_bind_null(stmt, i);
}

static sqlite3_stmt *vquery(struct db *db, struct adf_error *err, const char *sql,
			    const char *types, va_list ap)
{
	sqlite3_stmt *stmt = stmt_get(db, sql, err);
	if (!stmt)
		return NULL;
	sqlite3_reset(stmt);
	sqlite3_clear_bindings(stmt);
	/* a bind left out would silently be NULL: refuse the mismatch */
	if ((int)strlen(types) != sqlite3_bind_parameter_count(stmt)) {
		log_error("database: %d parameters bound for %d in: %.80s", (int)strlen(types),
			  sqlite3_bind_parameter_count(stmt), sql);
		adf_fail(err, ADF_E_INTERNAL, "internal error: bad query parameters");
		return NULL;
	}
	int rc = SQLITE_OK;
	for (int i = 1; rc == SQLITE_OK && *types; types++, i++) {
		const char *s;
		switch (*types) {
		case 'i':
			rc = sqlite3_bind_int(stmt, i, va_arg(ap, int));
			break;
		case 'I':
			rc = sqlite3_bind_int64(stmt, i, va_arg(ap, long long));
			break;
		case 's':
			s = va_arg(ap, const char *);
			rc = s ? sqlite3_bind_text(stmt, i, s, -1, SQLITE_TRANSIENT)
			       : sqlite3_bind_null(stmt, i);
			break;
		case 'j':
			rc = bind_json(stmt, i, va_arg(ap, const json_t *));
			break;
		default:
			adf_fail(err, ADF_E_INTERNAL, "bad bind type '%c'", *types);
			return NULL;
		}
	}
	if (rc != SQLITE_OK) {
		sqlite_fail(db, err, rc, "bind");
		return NULL;
	}
	return stmt;
}

sqlite3_stmt *db_query(struct db *db, struct adf_error *err, const char *sql, const char *types,
		       ...)
{
	va_list ap;
	va_start(ap, types);
	sqlite3_stmt *stmt = vquery(db, err, sql, types, ap);
	va_end(ap);
	return stmt;
}

const char *db_cached_sql(const struct db *db, size_t i)
{
	return i < db->cached ? db->cache[i].sql : NULL;
}

sqlite3 *db_connection(struct db *db)
{
	return db->conn;
}

int db_step(struct db *db, sqlite3_stmt *stmt, struct adf_error *err)
{
	int rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW)
		return 1;
	if (rc == SQLITE_DONE) {
		sqlite3_reset(stmt);
		return 0;
	}
	sqlite3_reset(stmt);
	return sqlite_fail(db, err, rc, "step");
}

/* Binds and takes the first step: 1 on a row (*stmt holds it), 0 done, -1. */
static int vfirst(struct db *db, struct adf_error *err, sqlite3_stmt **stmt, const char *sql,
		  const char *types, va_list ap)
{
	*stmt = vquery(db, err, sql, types, ap);
	return *stmt ? db_step(db, *stmt, err) : -1;
}

int db_exec(struct db *db, struct adf_error *err, const char *sql, const char *types, ...)
{
	sqlite3_stmt *stmt;
	va_list ap;
	va_start(ap, types);
	int rc = vfirst(db, err, &stmt, sql, types, ap);
	va_end(ap);
	while (rc == 1)
		rc = db_step(db, stmt, err);
	return rc < 0 ? -1 : sqlite3_changes(db->conn);
}

long long db_scalar(struct db *db, struct adf_error *err, const char *sql, const char *types, ...)
{
	sqlite3_stmt *stmt;
	va_list ap;
	va_start(ap, types);
	int rc = vfirst(db, err, &stmt, sql, types, ap);
	va_end(ap);
	if (rc <= 0)
		return rc;
	long long v = sqlite3_column_int64(stmt, 0);
	sqlite3_reset(stmt);
	return v;
}

long long db_last_id(struct db *db)
{
	return sqlite3_last_insert_rowid(db->conn);
}

json_t *db_row_json(sqlite3_stmt *stmt)
{
	json_t *row = json_object();
	for (int i = 0; i < sqlite3_column_count(stmt); i++) {
		json_t *v;
		switch (sqlite3_column_type(stmt, i)) {
		case SQLITE_INTEGER:
			v = json_integer(sqlite3_column_int64(stmt, i));
			break;
		case SQLITE_FLOAT:
			v = json_real(sqlite3_column_double(stmt, i));
			break;
		case SQLITE_TEXT:
			v = json_stringn((const char *)sqlite3_column_text(stmt, i),
					 (size_t)sqlite3_column_bytes(stmt, i));
			break;
		default:
			v = json_null();
		}
		json_object_set_new(row, sqlite3_column_name(stmt, i), v);
	}
	return row;
}

json_t *db_rows_json(struct db *db, sqlite3_stmt *stmt, struct adf_error *err)
{
	if (!stmt)
		return NULL;
	json_t *rows = json_array();
	int rc;
	while ((rc = db_step(db, stmt, err)) == 1)
		json_array_append_new(rows, db_row_json(stmt));
	if (rc < 0) {
		json_decref(rows);
		return NULL;
	}
	return rows;
}

json_t *db_row(struct db *db, sqlite3_stmt *stmt, struct adf_error *err)
{
	if (!stmt)
		return NULL;
	int rc = db_step(db, stmt, err);
	if (rc == 0)
		adf_fail(err, ADF_E_NOT_FOUND, "not found");
	if (rc <= 0)
		return NULL;
	json_t *row = db_row_json(stmt);
	sqlite3_reset(stmt);
	return row;
}

json_t *db_rows_map(struct db *db, sqlite3_stmt *stmt, struct adf_error *err,
		    json_t *(*map)(json_t *row, void *arg), void *arg)
{
	json_t *rows = db_rows_json(db, stmt, err);
	size_t i;
	json_t *row;
	json_array_foreach(rows, i, row) map(row, arg);
	return rows;
}

int db_begin(struct db *db, int write, struct adf_error *err)
{
	/* a transaction of its own: the group's writes go to disk first */
	if (db->group_open) {
		if (db->flush)
			db->flush(db->hook_arg);
		if (db->group_open) {
			struct adf_error ignored;
			db_group_commit(db, &ignored);
		}
	}
	return exec_plain(db, write ? "BEGIN IMMEDIATE" : "BEGIN", err);
}

int db_write_begin(struct db *db, struct adf_error *err)
{
	if (db->group_lost)
		return adf_fail(err, ADF_E_UNAVAILABLE, "database unavailable: %s",
				db->group_lost_why);
	if (!db->group_open) {
		if (exec_plain(db, "BEGIN IMMEDIATE", err) < 0)
			return -1;
		db->group_open = true;
		db->group_writes = 0;
	}
	if (exec_plain(db, "SAVEPOINT request", err) < 0) {
		db_write_end(db, false);
		return -1;
	}
	return 0;
}

void db_write_end(struct db *db, bool keep)
{
	if (!keep)
		sqlite3_exec(db->conn, "ROLLBACK TO request", NULL, NULL, NULL);
	sqlite3_exec(db->conn, "RELEASE request", NULL, NULL, NULL);
	if (keep) {
		db->group_writes++;
		if (db->schedule)
			db->schedule(db->hook_arg);
	}
	/* After SQLITE_FULL or an I/O error sqlite may have rolled the whole
	 * transaction back: the writes already answered for are gone, and
	 * the commit must say so. */
	if (db->group_open && !db->group_lost && sqlite3_get_autocommit(db->conn)) {
		db->group_lost = true;
		snprintf(db->group_lost_why, sizeof db->group_lost_why,
			 "the transaction was rolled back: %s", sqlite3_errmsg(db->conn));
		log_error("database: %s", db->group_lost_why);
	}
}

bool db_group_open(const struct db *db)
{
	return db->group_open;
}

int db_group_writes(const struct db *db)
{
	return db->group_open ? db->group_writes : 0;
}

int db_group_commit(struct db *db, struct adf_error *err)
{
	if (!db->group_open)
		return 0;
	int rc = 0;
	if (db->group_lost)
		rc = adf_fail(err, ADF_E_UNAVAILABLE, "database unavailable: %s",
			      db->group_lost_why);
	else
		rc = db_commit(db, err);
	db->group_open = false;
	db->group_lost = false;
	db->group_writes = 0;
	return rc;
}

void db_set_group_hooks(struct db *db, void (*flush)(void *arg), void (*schedule)(void *arg),
			void *arg)
{
	db->flush = flush;
	db->schedule = schedule;
	db->hook_arg = arg;
}

int db_commit(struct db *db, struct adf_error *err)
{
	if (exec_plain(db, "COMMIT", err) < 0) {
		db_rollback(db);
		return -1;
	}
	return 0;
}

void db_rollback(struct db *db)
{
	if (!sqlite3_get_autocommit(db->conn))
		sqlite3_exec(db->conn, "ROLLBACK", NULL, NULL, NULL);
}

void db_checkpoint_truncate(struct db *db)
{
	int rc = sqlite3_wal_checkpoint_v2(db->conn, NULL, SQLITE_CHECKPOINT_TRUNCATE, NULL, NULL);
	if (rc != SQLITE_OK)
		log_error("database: checkpoint: %s", sqlite3_errmsg(db->conn));
}

void db_now(char out[21])
{
	instant_format((long long)time(NULL), out);
}

void db_now_precise(char out[32])
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	instant_format_precise((long long)ts.tv_sec, ts.tv_nsec / 1000, out);
}
