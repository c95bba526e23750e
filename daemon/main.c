/* adfd: the daemon that runs the Ateliers des Départements de France. */
#include "config.h"

#include <errno.h>
#include <event2/event.h>
#include <getopt.h>
#include <grp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "adfd.h"
#include "db.h"
#include "log.h"
#include "paris.h"
#include "privacy.h"
#include "server.h"
#include "systemd.h"

static void usage(FILE *out)
{
	fprintf(out,
		"usage: adfd [-c FILE] [-v] [-n]\n"
		"  -c, --config FILE     read settings from FILE (default: embedded defaults,\n"
		"                        state in ./state)\n"
		"  -n, --check-config    check the settings and exit\n"
		"  -v, --verbose         log debug messages\n"
		"  -V, --version         print the version and exit\n"
		"  -h, --help            this help\n"
		"See adfd(8) and adfd.conf(5).\n");
}

static void resolve_one(const char *name, gid_t *gid, bool *set, const char *what)
{
	struct group *gr = getgrnam(name);
	*set = gr != NULL;
	if (gr)
		*gid = gr->gr_gid;
	else
		log_debug("%s \"%s\" does not exist: nobody gets that role through it", what, name);
}

void adfd_resolve_groups(struct adfd *d)
{
	resolve_one(d->cfg.admin_group, &d->admin_gid, &d->admin_gid_set, "admin_group");
	resolve_one(d->cfg.read_group, &d->read_gid, &d->read_gid_set, "read_group");
}

static void reload(struct adfd *d)
{
	struct settings next;
	struct adf_error err;
	systemd_notify("RELOADING=1");
	if (!d->cfg.path) {
		log_info("reload: running on embedded defaults, nothing to read");
	} else if (settings_load(d->cfg.path, &next, &err) < 0) {
		log_error("reload: %s: keeping the current settings", err.message);
	} else {
		/* The socket and the database stay open: changing them takes a restart. */
		if (strcmp(next.socket_path, d->cfg.socket_path) ||
		    strcmp(next.database, d->cfg.database))
			log_warning("reload: socket and database paths change only on restart");
		char *keep_socket = d->cfg.socket_path, *keep_db = d->cfg.database;
		d->cfg.socket_path = d->cfg.database = NULL;
		settings_free(&d->cfg);
		free(next.socket_path);
		free(next.database);
		next.socket_path = keep_socket;
		next.database = keep_db;
		d->cfg = next;
		log_set_level(d->cfg.log_level);
		adfd_resolve_groups(d);
		log_info("reload: settings read from %s", d->cfg.path);
	}
	systemd_notify("READY=1");
}

static void on_signal(evutil_socket_t sig, short what, void *arg)
{
	(void)what;
	struct adfd *d = arg;
	if (sig == SIGHUP) {
		reload(d);
		return;
	}
	log_info("signal %d: shutting down", (int)sig);
	systemd_notify("STOPPING=1");
	server_shutdown(d->server);
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
	    {"config", required_argument, NULL, 'c'}, {"check-config", no_argument, NULL, 'n'},
	    {"verbose", no_argument, NULL, 'v'},      {"version", no_argument, NULL, 'V'},
	    {"help", no_argument, NULL, 'h'},	      {NULL, 0, NULL, 0},
	};
	const char *config_path = NULL;
	bool check_only = false, verbose = false;
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
	if (check_only) {
		printf("%s: ok\n", config_path ? config_path : "embedded defaults");
		settings_free(&d.cfg);
		return 0;
	}
	log_set_level(verbose ? LOG_LEVEL_DEBUG : d.cfg.log_level);
	adfd_resolve_groups(&d);
	signal(SIGPIPE, SIG_IGN);

	int status = 1;
	struct event *sigs[3] = {NULL, NULL, NULL};
	int inherited = systemd_listen_fd();
	if (inherited < 0 && !config_path && make_state_directory(&d.cfg) < 0)
		goto out;
	if (db_open(&d.db, d.cfg.database, &err) < 0) {
		log_error("%s", err.message);
		goto out;
	}
	d.base = event_base_new();
	if (!d.base) {
		log_error("cannot create the event loop");
		goto out;
	}
	if (server_start(&d, inherited, &err) < 0) {
		log_error("%s", err.message);
		goto out;
	}
	if (privacy_start(&d) < 0) {
		log_error("cannot start the retention timer");
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
	privacy_stop(&d);
	server_free(d.server);
	db_close(d.db);
	if (d.base)
		event_base_free(d.base);
	settings_free(&d.cfg);
	paris_cleanup();
	return status;
}
