/* The request parser and dispatcher: any bytes as one request line, from
 * an admin, against a fresh in-memory database. Property: an answer comes,
 * nothing crashes, nothing leaks. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "adfd.h"
#include "db.h"
#include "dispatch.h"
#include "log.h"

static struct adfd d;

static void setup(void)
{
	struct adf_error err;
	log_init(LOG_LEVEL_ERROR);
	log_set_level(LOG_LEVEL_ERROR);
	if (settings_load(NULL, &d.cfg, &err) < 0 ||
	    adfd_load_templates(&d.cfg, &d.templates, &err) < 0 ||
	    db_open(&d.db, ":memory:", &err) < 0)
		abort();
	d.started = 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!d.db)
		setup();
	struct peer admin = {.has_cred = true, .uid = 0, .gid = 0, .role = ROLE_ADMIN};
	struct stream *stream = NULL;
	json_t *answer = dispatch_line(&d, &admin, (const char *)data, size, &stream);
	if (!answer)
		abort();
	struct adf_error commit_err;
	if (work_group_commit(&d, &commit_err) < 0)
		abort();
	while (stream) {
		json_t *chunk = NULL;
		bool done = false;
		struct adf_error err;
		if (stream->next(stream, &d, &chunk, &done, &err) < 0)
			done = true;
		json_decref(chunk);
		if (done) {
			stream->free(stream);
			stream = NULL;
		}
	}
	json_decref(answer);
	return 0;
}
