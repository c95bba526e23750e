/* sqlite3 for a long-running daemon: one connection, WAL with
 * synchronous=FULL, migrations on open, statements prepared once and kept. */
#ifndef ADF_DB_H
#define ADF_DB_H

#include <jansson.h>
#include <sqlite3.h>
#include <stdbool.h>

#include "proto.h"

struct db;

/* Opens (creating if needed) and migrates; refuses a newer database. */
int db_open(struct db **out, const char *path, struct adf_error *err);
void db_close(struct db *db);
int db_schema_version(struct db *db);

/* A cached statement for sql, reset and bound from types: 'i' int, 'I'
 * int64, 's' text (NULL binds NULL), 'j' a json_t scalar (NULL or null binds
 * NULL). NULL on error. sql must be a string literal: the cache knows a
 * statement by the text's address (a buffer reused for two texts would
 * run the first). */
sqlite3_stmt *db_query(struct db *db, struct adf_error *err, const char *sql, const char *types,
		       ...);
/* For the query-plan test: the i-th statement prepared so far (NULL past
 * the last), and the connection. */
const char *db_cached_sql(const struct db *db, size_t i);
sqlite3 *db_connection(struct db *db);
/* 1 on a row, 0 when done, -1 on error (constraint violations are
 * ADF_E_CONFLICT, a busy or full disk ADF_E_UNAVAILABLE). */
int db_step(struct db *db, sqlite3_stmt *stmt, struct adf_error *err);
/* Runs sql to completion; returns the number of rows changed, or -1. */
int db_exec(struct db *db, struct adf_error *err, const char *sql, const char *types, ...);
/* The first column of the first row as an integer (0 if no row), or -1. */
long long db_scalar(struct db *db, struct adf_error *err, const char *sql, const char *types, ...);
long long db_last_id(struct db *db);

/* The current row as an object keyed by column names. */
json_t *db_row_json(sqlite3_stmt *stmt);
/* Every row of a statement from db_query (NULL: its error stands) as an
 * array; NULL on error. */
json_t *db_rows_json(struct db *db, sqlite3_stmt *stmt, struct adf_error *err);
/* The statement's first row as an object (the statement is reset); NULL on
 * error, or with ADF_E_NOT_FOUND ("not found") when there is none. */
json_t *db_row(struct db *db, sqlite3_stmt *stmt, struct adf_error *err);
/* Every row, each passed to map (which completes it in place). */
json_t *db_rows_map(struct db *db, sqlite3_stmt *stmt, struct adf_error *err,
		    json_t *(*map)(json_t *row, void *arg), void *arg);

/* A transaction of its own (migrations, timers); an open group is
 * committed first. */
int db_begin(struct db *db, int write, struct adf_error *err);
int db_commit(struct db *db, struct adf_error *err);
void db_rollback(struct db *db);

/* Group commit: each write request runs in a savepoint of one transaction
 * that stays open until db_group_commit(), so that the requests read in one
 * turn of the loop cost one fsync. db_write_end() keeps or undoes the
 * request's changes. */
int db_write_begin(struct db *db, struct adf_error *err);
void db_write_end(struct db *db, bool keep);
bool db_group_open(const struct db *db);
int db_group_writes(const struct db *db);
/* Commits the group; -1 if it could not, and then none of it is on disk. */
int db_group_commit(struct db *db, struct adf_error *err);
/* flush: called by db_begin() when a group is open, to commit it and
 * answer its requests; schedule: called by each kept write, to have the
 * group committed at the end of the loop's turn. */
void db_set_group_hooks(struct db *db, void (*flush)(void *arg), void (*schedule)(void *arg),
			void *arg);

/* Moves the WAL into the database and empties it, so that overwritten
 * bytes (an erased e-mail) survive in neither file. */
void db_checkpoint_truncate(struct db *db);

/* Now, as UTC ISO 8601 ("2017-09-27T06:30:00Z"). */
void db_now(char out[21]);
/* Now to the microsecond ("2017-09-27T06:30:00.123456Z"): orders a queue. */
void db_now_precise(char out[32]);

#endif
