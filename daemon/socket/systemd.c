#include "config.h"

#include <event2/event.h>

#include "db.h"
#include "log.h"
#include "outbox.h"
#include "systemd.h"

#ifdef HAVE_LIBSYSTEMD
#include <stdio.h>
#include <stdlib.h>
#include <systemd/sd-daemon.h>

/* One timer says how adfd is doing (STATUS=) and, under WatchdogSec=, that
 * the loop still turns (WATCHDOG=1): a stuck loop misses it and is
 * restarted. */
static struct event *status_timer;
static bool watchdog;

int systemd_listen_fd(void)
{
	int n = sd_listen_fds(1);
	if (n < 0) {
		log_warning("sd_listen_fds: error %d: binding our own socket", n);
		return -1;
	}
	if (n > 1)
		log_warning("systemd passed %d sockets: using the first", n);
	return n >= 1 ? SD_LISTEN_FDS_START : -1;
}

void systemd_notify(const char *state)
{
	sd_notify(0, state);
}

static void send_status(struct adfd *d)
{
	struct adf_error err;
	long long ateliers =
	    db_scalar(d->db, &err, "SELECT count(*) FROM atelier WHERE status = 'scheduled'", "");
	long long queued = -1, failed = -1;
	outbox_counts(d->db, &err, &queued, &failed);
	sd_notifyf(0, "%sSTATUS=%lld Ateliers scheduled, %lld mails queued, %lld failed",
		   watchdog ? "WATCHDOG=1\n" : "", ateliers, queued, failed);
}

static void on_status_timer(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	send_status(arg);
}

void systemd_ready(struct adfd *d)
{
	uint64_t usec = 0;
	watchdog = sd_watchdog_enabled(0, &usec) > 0 && usec > 0;
	sd_notify(0, "READY=1");
	send_status(d);
	if (!getenv("NOTIFY_SOCKET"))
		return;
	uint64_t every = watchdog ? usec / 2 : 30 * 1000000ULL;
	struct timeval tv = {(time_t)(every / 1000000), (suseconds_t)(every % 1000000)};
	status_timer = event_new(d->base, -1, EV_PERSIST, on_status_timer, d);
	if (status_timer)
		event_add(status_timer, &tv);
}

void systemd_stop(void)
{
	if (status_timer)
		event_free(status_timer);
	status_timer = NULL;
}

#else

int systemd_listen_fd(void)
{
	return -1;
}

void systemd_notify(const char *state)
{
	(void)state;
}

void systemd_ready(struct adfd *d)
{
	(void)d;
}

void systemd_stop(void)
{
}

#endif
