/* Baseline for durable registrations: one INSERT per transaction into the
 * registration table of a database adfd created (same schema, same
 * pragmas: WAL, synchronous=FULL). Prints inserts per second.
 * Usage: raw_insert DB COUNT PREFIX */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

int main(int argc, char **argv)
{
	if (argc != 4)
		return 2;
	sqlite3 *db;
	if (sqlite3_open(argv[1], &db) != SQLITE_OK)
		return 1;
	sqlite3_exec(db,
		     "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;"
		     "PRAGMA secure_delete=ON;",
		     NULL, NULL, NULL);
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(
		db,
		"INSERT INTO registration (atelier_id, name, email, email_key, category,"
		" status, token, queued_at, registered_at) VALUES (1, ?1, ?2, ?2, 'public',"
		" 'confirmed', ?2, '2026-01-01T00:00:00.000000Z', '2026-01-01T00:00:00Z')",
		-1, &st, NULL) != SQLITE_OK) {
		fprintf(stderr, "%s\n", sqlite3_errmsg(db));
		return 1;
	}
	int count = atoi(argv[2]);
	struct timespec a, b;
	clock_gettime(CLOCK_MONOTONIC, &a);
	char name[64], email[64];
	for (int i = 0; i < count; i++) {
		snprintf(name, sizeof name, "Raw %d", i);
		snprintf(email, sizeof email, "%s%d@example.fr", argv[3], i);
		sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
		sqlite3_bind_text(st, 1, name, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(st, 2, email, -1, SQLITE_TRANSIENT);
		if (sqlite3_step(st) != SQLITE_DONE)
			return 1;
		sqlite3_reset(st);
		sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
	}
	clock_gettime(CLOCK_MONOTONIC, &b);
	double elapsed = (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9;
	printf("%.0f\n", count / elapsed);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return 0;
}
