/* Online backups through sqlite's backup API, and the restore adfd does
 * when it is not running. */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "adfd.h"
#include "backup.h"
#include "db.h"
#include "work.h"

/* Copies `from` into `to` whole, page by page. */
static int copy_database(sqlite3 *to, sqlite3 *from, struct adf_error *err)
{
	sqlite3_backup *b = sqlite3_backup_init(to, "main", from, "main");
	if (!b)
		return adf_fail(err, ADF_E_UNAVAILABLE, "backup: %s", sqlite3_errmsg(to));
	int rc = sqlite3_backup_step(b, -1);
	sqlite3_backup_finish(b);
	if (rc != SQLITE_DONE)
		return adf_fail(err, ADF_E_UNAVAILABLE, "backup: %s", sqlite3_errstr(rc));
	return 0;
}

/* A backup name is a plain file name: a path would let any admin have
 * adfd (perhaps root) write where it can. */
static bool plain_name(const char *s)
{
	if (!s[0] || s[0] == '.' || strlen(s) > 100)
		return false;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && !strchr("._-", *s))
			return false;
	return true;
}

json_t *backup_make(struct work *w, const char *name)
{
	char dir[PATH_MAX], path[PATH_MAX + 128];
	struct stat st;
	snprintf(w->target, sizeof w->target, "backup");
	if (!plain_name(name)) {
		work_fail(w, ADF_E_BAD_REQUEST,
			  "file: \"%.100s\" is not a plain file name (letters, digits, . _ -): "
			  "backups go into %s/backups",
			  name, w->adfd->cfg.state_directory);
		return NULL;
	}
	/* the backups folder of the state folder, the one place adfd may
	 * write under its hardened unit; never followed through a link */
	snprintf(dir, sizeof dir, "%s/backups", w->adfd->cfg.state_directory);
	if (mkdir(dir, 0750) < 0 && errno != EEXIST) {
		work_fail(w, ADF_E_UNAVAILABLE, "%s: %s", dir, strerror(errno));
		return NULL;
	}
	if (lstat(dir, &st) < 0 || !S_ISDIR(st.st_mode)) {
		work_fail(w, ADF_E_UNAVAILABLE, "%s is not a folder", dir);
		return NULL;
	}
	snprintf(path, sizeof path, "%s/%s", dir, name);
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0640);
	if (fd < 0) {
		if (errno == EEXIST)
			work_fail(w, ADF_E_CONFLICT, "%s exists already: not overwriting it", path);
		else
			work_fail(w, ADF_E_UNAVAILABLE, "%s: %s", path, strerror(errno));
		return NULL;
	}
	close(fd);
	sqlite3 *to = NULL;
	if (sqlite3_open_v2(path, &to, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) !=
	    SQLITE_OK) {
		work_fail(w, ADF_E_UNAVAILABLE, "%s: %s", path,
			  to ? sqlite3_errmsg(to) : "cannot open");
		sqlite3_close(to);
		return NULL;
	}
	/* a second, read-only connection reads the last committed state (WAL
	 * lets it) while this request holds the write lock */
	sqlite3 *from = NULL;
	int rc =
	    sqlite3_open_v2(w->adfd->cfg.database, &from, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK
		? copy_database(to, from, &w->err)
		: work_fail(w, ADF_E_UNAVAILABLE, "cannot read the database");
	sqlite3_close(from);
	sqlite3_close(to);
	if (rc < 0) {
		remove(path);
		return NULL;
	}
	stat(path, &st);
	return json_pack("{s:s,s:I}", "file", path, "bytes", (json_int_t)st.st_size);
}

int backup_restore(const char *file, const char *database, struct adf_error *err)
{
	sqlite3 *from = NULL;
	if (sqlite3_open_v2(file, &from, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
		adf_fail(err, ADF_E_BAD_REQUEST, "%s: %s", file,
			 from ? sqlite3_errmsg(from) : "cannot open");
		sqlite3_close(from);
		return -1;
	}
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(from, "PRAGMA integrity_check", -1, &st, NULL);
	bool ok = rc == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW &&
		  !strcmp((const char *)sqlite3_column_text(st, 0), "ok");
	sqlite3_finalize(st);
	if (!ok) {
		sqlite3_close(from);
		return adf_fail(err, ADF_E_BAD_REQUEST,
				"%s: not a sound adf database (integrity check)", file);
	}
	struct db *target;
	/* opening migrates nothing yet: the copy replaces it whole, then the
	 * next start migrates the copy if it is older */
	sqlite3 *to = NULL;
	if (sqlite3_open_v2(database, &to, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) !=
	    SQLITE_OK) {
		adf_fail(err, ADF_E_UNAVAILABLE, "%s: cannot open", database);
		sqlite3_close(to);
		sqlite3_close(from);
		return -1;
	}
	rc = copy_database(to, from, err);
	sqlite3_close(to);
	sqlite3_close(from);
	if (rc < 0)
		return -1;
	/* the restored file must also be one this adfd can run on */
	if (db_open(&target, database, err) < 0)
		return -1;
	db_close(target);
	return 0;
}
