#include "config.h"

#include <errno.h>
#include <libconfig.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "settings.h"

enum setting_kind { S_STRING, S_INT, S_MODE, S_LEVEL };

struct setting {
	const char *path; /* dotted, as libconfig looks it up */
	enum setting_kind kind;
	long long min, max;
	size_t offset;
};

#define STR(name, field)                                                                           \
	{                                                                                          \
		name, S_STRING, 0, 0, offsetof(struct settings, field)                             \
	}
#define INT(name, field, lo, hi)                                                                   \
	{                                                                                          \
		name, S_INT, lo, hi, offsetof(struct settings, field)                              \
	}

static const struct setting settings[] = {
    STR("state_directory", state_directory),
    STR("socket", socket_path),
    STR("database", database),
    {"socket_mode", S_MODE, 0, 0777, offsetof(struct settings, socket_mode)},
    STR("socket_group", socket_group),
    STR("admin_group", admin_group),
    STR("read_group", read_group),
    {"log_level", S_LEVEL, 0, 0, offsetof(struct settings, log_level)},
    INT("limits.max_line", max_line, 1024, 64LL << 20),
    INT("limits.max_clients", max_clients, 1, 100000),
    INT("limits.max_clients_per_uid", max_clients_per_uid, 1, 100000),
    INT("limits.idle_timeout", idle_timeout, 1, 86400),
    INT("limits.max_output", max_output, 4096, 1LL << 30),
    INT("retention_months", retention_months, 0, 600),
};

static void set_defaults(struct settings *cfg)
{
	memset(cfg, 0, sizeof *cfg);
	cfg->socket_mode = 0660;
	cfg->admin_group = strdup("adf");
	cfg->read_group = strdup("adf-read");
	cfg->log_level = LOG_LEVEL_INFO;
	cfg->max_line = 1024 * 1024;
	cfg->max_clients = 256;
	cfg->max_clients_per_uid = 32;
	cfg->idle_timeout = 60;
	cfg->max_output = 1024 * 1024;
	cfg->retention_months = 12;
}

void settings_free(struct settings *cfg)
{
	free(cfg->path);
	free(cfg->state_directory);
	free(cfg->socket_path);
	free(cfg->database);
	free(cfg->socket_group);
	free(cfg->admin_group);
	free(cfg->read_group);
	memset(cfg, 0, sizeof *cfg);
}

static int where_fail(struct adf_error *err, const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static int where_fail(struct adf_error *err, const char *file, int line, const char *fmt, ...)
{
	char what[400];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(what, sizeof what, fmt, ap);
	va_end(ap);
	return adf_fail(err, ADF_E_BAD_REQUEST, "%s:%d: %s", file, line, what);
}

static const struct setting *setting_find(const char *path)
{
	for (size_t i = 0; i < sizeof settings / sizeof settings[0]; i++)
		if (strcmp(settings[i].path, path) == 0)
			return &settings[i];
	return NULL;
}

/* Every name in the file must be one we know: a misspelt setting silently
 * ignored is a setting that does not do what its author believes. */
static int check_known(config_setting_t *group, const char *prefix, const char *file,
		       struct adf_error *err)
{
	for (int i = 0; i < config_setting_length(group); i++) {
		config_setting_t *s = config_setting_get_elem(group, (unsigned)i);
		char path[128];
		snprintf(path, sizeof path, "%s%s", prefix, config_setting_name(s));
		if (config_setting_is_group(s) && strcmp(path, "limits") == 0) {
			if (check_known(s, "limits.", file, err) < 0)
				return -1;
			continue;
		}
		if (!setting_find(path))
			return where_fail(err, file, config_setting_source_line(s),
					  "unknown setting \"%s\"", path);
	}
	return 0;
}

static int apply_setting(const struct setting *st, config_setting_t *s, struct settings *cfg,
			 const char *file, struct adf_error *err)
{
	int line = config_setting_source_line(s);
	char *field = (char *)cfg + st->offset;
	const char *str = config_setting_get_string(s);
	long long v;

	switch (st->kind) {
	case S_STRING:
		if (!str || !*str)
			return where_fail(err, file, line, "%s: expected a non-empty string",
					  st->path);
		free(*(char **)field);
		*(char **)field = strdup(str);
		return 0;
	case S_INT:
		if (config_setting_type(s) != CONFIG_TYPE_INT &&
		    config_setting_type(s) != CONFIG_TYPE_INT64)
			return where_fail(err, file, line, "%s: expected an integer", st->path);
		v = config_setting_get_int64(s);
		if (v < st->min || v > st->max)
			return where_fail(err, file, line, "%s: %lld is out of range %lld..%lld",
					  st->path, v, st->min, st->max);
		if (strcmp(st->path, "limits.max_line") == 0 ||
		    strcmp(st->path, "limits.max_output") == 0)
			*(size_t *)field = (size_t)v;
		else
			*(int *)field = (int)v;
		return 0;
	case S_MODE: {
		char *end;
		if (!str || !*str)
			return where_fail(err, file, line,
					  "%s: expected an octal mode as a string, e.g. \"0660\"",
					  st->path);
		errno = 0;
		v = strtol(str, &end, 8);
		if (errno || *end || v < 0 || v > 0777)
			return where_fail(err, file, line, "%s: \"%s\" is not an octal mode",
					  st->path, str);
		*(mode_t *)field = (mode_t)v;
		return 0;
	}
	case S_LEVEL:
		if (!str || log_level_parse(str, (enum log_level *)field) < 0)
			return where_fail(
			    err, file, line,
			    "%s: expected \"error\", \"warning\", \"info\" or \"debug\"", st->path);
		return 0;
	}
	return 0;
}

static char *join_path(const char *dir, const char *name)
{
	size_t n = strlen(dir) + strlen(name) + 2;
	char *p = malloc(n);
	if (p)
		snprintf(p, n, "%s/%s", dir, name);
	return p;
}

int settings_load(const char *path, struct settings *out, struct adf_error *err)
{
	struct settings cfg;
	config_t lc;
	int rc = 0;

	set_defaults(&cfg);
	if (path) {
		config_init(&lc);
		if (config_read_file(&lc, path) == CONFIG_FALSE) {
			if (config_error_type(&lc) == CONFIG_ERR_FILE_IO)
				rc = adf_fail(err, ADF_E_BAD_REQUEST, "%s: cannot read: %s", path,
					      strerror(errno));
			else
				rc = where_fail(
				    err, config_error_file(&lc) ? config_error_file(&lc) : path,
				    config_error_line(&lc), "%s", config_error_text(&lc));
		}
		if (rc == 0)
			rc = check_known(config_root_setting(&lc), "", path, err);
		for (size_t i = 0; rc == 0 && i < sizeof settings / sizeof settings[0]; i++) {
			config_setting_t *s = config_lookup(&lc, settings[i].path);
			if (s)
				rc = apply_setting(&settings[i], s, &cfg, path, err);
		}
		config_destroy(&lc);
		cfg.path = strdup(path);
	}
	if (rc == 0) {
		if (!cfg.state_directory)
			cfg.state_directory = strdup("state");
		if (!cfg.socket_path)
			cfg.socket_path = join_path(cfg.state_directory, "adfd.sock");
		if (!cfg.database)
			cfg.database = join_path(cfg.state_directory, "adfd.db");
		if (!cfg.state_directory || !cfg.socket_path || !cfg.database || !cfg.admin_group ||
		    !cfg.read_group)
			rc = adf_fail(err, ADF_E_INTERNAL, "out of memory");
	}
	if (rc < 0) {
		settings_free(&cfg);
		return -1;
	}
	*out = cfg;
	return 0;
}
