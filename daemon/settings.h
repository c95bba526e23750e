/* adfd's settings: embedded defaults, overridden by a libconfig file. */
#ifndef ADF_SETTINGS_H
#define ADF_SETTINGS_H

#include <stddef.h>
#include <sys/types.h>

#include "log.h"
#include "proto.h"

#define ADF_EX_CONFIG 78 /* sysexits' EX_CONFIG */

struct settings {
	char *path; /* the file read, or NULL on embedded defaults */
	char *state_directory;
	char *socket_path;
	char *database;
	mode_t socket_mode;
	char *socket_group; /* NULL: the daemon's own group */
	char *admin_group;
	char *read_group;
	enum log_level log_level;
	size_t max_line;
	int max_clients;
	int max_clients_per_uid;
	int idle_timeout; /* seconds a client may take to send a full request */
	size_t max_output;
	int retention_months; /* registrations are anonymised this long after their Atelier */
};

/* Loads path (NULL: embedded defaults only). On error, err->message reads
 * "file:line: what" and *out is untouched. */
int settings_load(const char *path, struct settings *out, struct adf_error *err);
void settings_free(struct settings *cfg);

#endif
