/* adfctl's CSV reader: any bytes as a registrations file. Property: rows
 * or a refusal, never a crash or a leak. */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "../../ctl/ctl.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[] = "/tmp/adf-fuzz-csv-XXXXXX";
	int fd = mkstemp(path);
	if (fd < 0)
		return 0;
	if (write(fd, data, size) == (ssize_t)size) {
		/* the reader reports refusals on stderr: keep the replay quiet */
		FILE *saved = stderr;
		stderr = fopen("/dev/null", "w");
		json_t *rows = csv_read_rows(path);
		fclose(stderr);
		stderr = saved;
		json_decref(rows);
	}
	close(fd);
	unlink(path);
	return 0;
}
