/* The config loader: any bytes as adfd.conf. Property: loaded or refused
 * with a "file:line: what" message, never a crash or a leak. */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "settings.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[] = "/tmp/adf-fuzz-config-XXXXXX";
	int fd = mkstemp(path);
	if (fd < 0)
		return 0;
	if (write(fd, data, size) != (ssize_t)size) {
		close(fd);
		unlink(path);
		return 0;
	}
	close(fd);
	struct settings cfg;
	struct adf_error err;
	if (settings_load(path, &cfg, &err) == 0)
		settings_free(&cfg);
	else if (strncmp(err.message, path, strlen(path)) != 0)
		abort(); /* every refusal names the file */
	unlink(path);
	return 0;
}
