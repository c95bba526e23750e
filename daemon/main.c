/* adfd: the daemon that runs the Ateliers des Départements de France. */
#include "config.h"

#include <curl/curl.h>
#include <errno.h>
#include <event2/event.h>
#include <fcntl.h>
#include <getopt.h>
#include <grp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "adfd.h"
#include "atelier.h"
#include "audit.h"
#include "backup.h"
#include "db.h"
#include "dispatch.h"
#include "ical.h"
#include "log.h"
#include "mailer.h"
#include "outbox.h"
#include "paris.h"
#include "privacy.h"
#include "registration.h"
#include "scheduler.h"
#include "server.h"
#include "systemd.h"
#include "web.h"
#include "work.h"

static void usage(FILE *out)
{
	fprintf(out,
		"usage: adfd [-c FILE] [-v] [-n] [--restore BACKUP]\n"
		"  -c, --config FILE     read settings from FILE (default: embedded defaults,\n"
		"                        state in ./state)\n"
		"  -n, --check-config    check the settings and exit\n"
		"      --restore BACKUP  replace the database with a checked backup, then exit\n"
		"                        (refused while an adfd runs on the socket)\n"
		"  -v, --verbose         log debug messages\n"
		"  -V, --version         print the version and exit\n"
		"  -h, --help            this help\n"
		"See adfd(8) and adfd.conf(5).\n");
}

#if defined(__SANITIZE_ADDRESS__)
#define ADF_SANITIZER 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define ADF_SANITIZER 1
#endif
#endif

#ifndef ADF_SANITIZER /* AddressSanitizer reports crashes itself, better */
/* A crash leaves one line in the log (the journal also records the
 * signal adfd died of; systemd restarts it). Only async-signal-safe calls:
 * the line is made of constant strings, then the default action runs. */
static void on_fatal_signal(int sig)
{
	static const char *const names[] = {[SIGSEGV] = "SIGSEGV",
					    [SIGBUS] = "SIGBUS",
					    [SIGFPE] = "SIGFPE",
					    [SIGILL] = "SIGILL",
					    [SIGABRT] = "SIGABRT"};
	const char *name = sig > 0 && sig < (int)(sizeof names / sizeof names[0]) && names[sig]
			       ? names[sig]
			       : "a fatal signal";
	static const char head[] = "adfd: crashed on ";
	static const char tail[] = ": nothing acknowledged is lost (each answer waits for its"
				   " commit); systemd restarts adfd\n";
	ssize_t ignored = write(STDERR_FILENO, head, sizeof head - 1);
	ignored = write(STDERR_FILENO, name, strlen(name));
	ignored = write(STDERR_FILENO, tail, sizeof tail - 1);
	(void)ignored;
	signal(sig, SIG_DFL);
	raise(sig);
}
#endif

static void catch_fatal_signals(void)
{
#ifndef ADF_SANITIZER /* AddressSanitizer reports crashes itself, better */
	/* its own stack, so that a stack overflow is reported too */
	static char alt_stack[64 * 1024];
	stack_t ss = {.ss_sp = alt_stack, .ss_size = sizeof alt_stack};
	sigaltstack(&ss, NULL);
	struct sigaction sa = {.sa_handler = on_fatal_signal,
			       .sa_flags = SA_ONSTACK | SA_RESETHAND};
	sigemptyset(&sa.sa_mask);
	const int fatal[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT};
	for (size_t i = 0; i < sizeof fatal / sizeof fatal[0]; i++)
		sigaction(fatal[i], &sa, NULL);
#endif
}

/* One adfd per database: a second one (on another socket) would take the
 * first one's mail in flight for lost and send it again. The lock is the
 * kernel's, gone with the process, whatever ends it. Returns the fd. */
static int lock_database(const char *path)
{
	int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0640);
	if (fd < 0) {
		log_error("%s: %s", path, strerror(errno));
		return -1;
	}
	if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		log_error("another adfd is running on the database %s: stop it first", path);
		close(fd);
		return -1;
	}
	return fd;
}

/* adfd --restore: only while no adfd answers on the socket. */
static int restore_backup(struct adfd *d, const char *file)
{
	struct adf_error err;
	struct sockaddr_un sun = {.sun_family = AF_UNIX};
	snprintf(sun.sun_path, sizeof sun.sun_path, "%s", d->cfg.socket_path);
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd >= 0 && connect(fd, (struct sockaddr *)&sun, sizeof sun) == 0) {
		close(fd);
		fprintf(stderr, "adfd: an adfd is running on %s: stop it before restoring\n",
			d->cfg.socket_path);
		return 1;
	}
	if (fd >= 0)
		close(fd);
	/* an adfd on another socket may use the same database: its lock says */
	int lock = lock_database(d->cfg.database);
	if (lock < 0)
		return 1;
	int rc = backup_restore(file, d->cfg.database, &err);
	close(lock);
	if (rc < 0) {
		fprintf(stderr, "adfd: restore: %s\n", err.message);
		return 1;
	}
	printf("%s restored into %s\n", file, d->cfg.database);
	return 0;
}

/* The watchers see what was committed, the mail's counts too. */
static void watchers_wake(struct adfd *d)
{
	server_changed(d->server);
}

static void truncate_wal(struct adfd *d)
{
	db_checkpoint_truncate(d->db);
}

static void on_signal(evutil_socket_t sig, short what, void *arg)
{
	(void)what;
	struct adfd *d = arg;
	if (sig == SIGHUP) {
		struct adf_error err;
		systemd_notify("RELOADING=1");
		adfd_reload(d, &err);
		systemd_notify("READY=1");
		/* new reminder rules may mean mail */
		scheduler_kick(d);
		return;
	}
	log_info("signal %d: shutting down", (int)sig);
	systemd_notify("STOPPING=1");
	server_shutdown(d->server);
	web_stop(d);
	/* A client that never reads its answers must not hold the exit. */
	struct timeval grace = {5, 0};
	event_base_loopexit(d->base, &grace);
}

static int make_state_directory(const struct settings *cfg)
{
	if (mkdir(cfg->state_directory, 0750) < 0 && errno != EEXIST) {
		log_error("cannot create state directory %s: %s", cfg->state_directory,
			  strerror(errno));
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option options[] = {
	    {"config", required_argument, NULL, 'c'},
	    {"check-config", no_argument, NULL, 'n'},
	    {"verbose", no_argument, NULL, 'v'},
	    {"version", no_argument, NULL, 'V'},
	    {"help", no_argument, NULL, 'h'},
	    {"restore", required_argument, NULL, 'R'},
	    {NULL, 0, NULL, 0},
	};
	const char *config_path = NULL;
	bool check_only = false, verbose = false;
	const char *restore = NULL;
	int opt;
	while ((opt = getopt_long(argc, argv, "c:nvVh", options, NULL)) != -1) {
		switch (opt) {
		case 'c':
			config_path = optarg;
			break;
		case 'n':
			check_only = true;
			break;
		case 'v':
			verbose = true;
			break;
		case 'V':
			printf("adfd %s (protocol %d)\n", PACKAGE_VERSION, ADF_PROTO_VERSION);
			return 0;
		case 'h':
			usage(stdout);
			return 0;
		case 'R':
			restore = optarg;
			break;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind < argc) {
		usage(stderr);
		return 2;
	}

	struct adfd d = {.started = time(NULL)};
	struct adf_error err;
	log_init(LOG_LEVEL_INFO);
	if (settings_load(config_path, &d.cfg, &err) < 0) {
		fprintf(stderr, "adfd: %s\n", err.message);
		return ADF_EX_CONFIG;
	}
	if (adfd_load_templates(&d.cfg, &d.templates, &err) < 0) {
		fprintf(stderr, "adfd: %s\n", err.message);
		settings_free(&d.cfg);
		return ADF_EX_CONFIG;
	}
	if (restore) {
		int rc = restore_backup(&d, restore);
		templates_free(&d.templates);
		settings_free(&d.cfg);
		return rc;
	}
	if (check_only) {
		printf("%s: ok\n", config_path ? config_path : "embedded defaults");
		templates_free(&d.templates);
		settings_free(&d.cfg);
		return 0;
	}
	/* the database, its WAL, backups and mail files are never the world's */
	umask(027);
	curl_global_init(CURL_GLOBAL_DEFAULT);
	log_set_level(verbose ? LOG_LEVEL_DEBUG : d.cfg.log_level);
	adfd_resolve_groups(&d);
	signal(SIGPIPE, SIG_IGN);
	catch_fatal_signals();

	int status = 1, db_lock = -1;
	struct event *sigs[3] = {NULL, NULL, NULL};
	int inherited = systemd_listen_fd();
	if (inherited < 0 && !config_path && make_state_directory(&d.cfg) < 0)
		goto out;
	db_lock = lock_database(d.cfg.database);
	if (db_lock < 0)
		goto out;
	if (db_open(&d.db, d.cfg.database, &err) < 0) {
		log_error("%s", err.message);
		goto out;
	}
	int repaired = atelier_repair(d.db, &err);
	if (repaired > 0)
		log_warning("%d Atelier(s) cancelled as drafts by an older adfd are drafts again",
			    repaired);
	/* names kept in one field by an older adfd: split once, in one go */
	struct work names;
	work_init(&names, &d);
	int split = work_begin(&names) < 0 ? -1 : registration_names_backfill(&names);
	if (work_end(&names, split < 0 ? -1 : 0, 0, NULL) < 0) {
		log_error("cannot split the names of older registrations: %s", names.err.message);
		goto out;
	}
	if (split > 0)
		log_info("names of %d older registration(s) split into first name and surname",
			 split);
	d.base = event_base_new();
	if (!d.base || event_base_priority_init(d.base, ADFD_PRIORITIES) < 0) {
		log_error("cannot create the event loop");
		goto out;
	}
	/* after a commit: a change may mean mail; erased bytes must not live on
	 * in the WAL; the watchers see it */
	work_subscribe(&d, WORK_CHANGED, scheduler_kick);
	work_subscribe(&d, WORK_SCRUBBED, truncate_wal);
	work_subscribe(&d, WORK_CHANGED | WORK_MAILED, watchers_wake);
	if (server_start(&d, inherited, &err) < 0) {
		log_error("%s", err.message);
		goto out;
	}
	if (web_start(&d, &err) < 0) {
		log_error("%s", err.message);
		goto out;
	}
	if (audit_start(&d) < 0 || privacy_start(&d) < 0) {
		log_error("cannot start the retention timer");
		goto out;
	}
	if (outbox_recover(&d) < 0 || mailer_start(&d) < 0 || scheduler_start(&d) < 0) {
		log_error("cannot start the mailer");
		goto out;
	}
	const int signals[3] = {SIGTERM, SIGINT, SIGHUP};
	for (int i = 0; i < 3; i++) {
		sigs[i] = evsignal_new(d.base, signals[i], on_signal, &d);
		event_add(sigs[i], NULL);
	}
	log_info("adfd %s ready: socket %s, database %s (schema %d)", PACKAGE_VERSION,
		 d.cfg.socket_path, d.cfg.database, db_schema_version(d.db));
	systemd_ready(&d);
	event_base_dispatch(d.base);
	log_info("stopped");
	status = 0;
out:
	for (int i = 0; i < 3; i++)
		if (sigs[i])
			event_free(sigs[i]);
	systemd_stop();
	scheduler_stop(&d);
	mailer_stop(&d);
	privacy_stop(&d);
	audit_stop(&d);
	web_stop(&d);
	server_free(d.server);
	db_close(d.db);
	if (db_lock >= 0)
		close(db_lock);
	if (d.base)
		event_base_free(d.base);
	templates_free(&d.templates);
	settings_free(&d.cfg);
	paris_cleanup();
	ical_cleanup();
	curl_global_cleanup();
	return status;
}
