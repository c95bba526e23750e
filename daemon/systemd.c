#include "config.h"

#include "log.h"
#include "systemd.h"

#ifdef HAVE_LIBSYSTEMD
#include <systemd/sd-daemon.h>

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

void systemd_ready(struct adfd *d)
{
	(void)d;
	sd_notify(0, "READY=1\nSTATUS=ready");
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

#endif
