#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <libconfig.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "date.h"
#include "settings.h"

enum setting_kind { S_STRING, S_INT, S_SIZE, S_MODE, S_LEVEL, S_CHOICE };

struct setting {
	const char *path; /* dotted, as libconfig looks it up */
	enum setting_kind kind;
	long long min, max;
	size_t offset;
	const char *choices; /* S_CHOICE: '|'-separated; the index is stored */
};

#define STR(name, field)                                                                           \
	{                                                                                          \
		name, S_STRING, 0, 0, offsetof(struct settings, field), NULL                       \
	}
#define INT(name, field, lo, hi)                                                                   \
	{                                                                                          \
		name, S_INT, lo, hi, offsetof(struct settings, field), NULL                        \
	}
#define SIZE(name, field, lo, hi)                                                                  \
	{                                                                                          \
		name, S_SIZE, lo, hi, offsetof(struct settings, field), NULL                       \
	}
#define CHOICE(name, field, choices)                                                               \
	{                                                                                          \
		name, S_CHOICE, 0, 0, offsetof(struct settings, field), choices                    \
	}

static const struct setting settings[] = {
    STR("state_directory", state_directory),
    STR("socket", socket_path),
    STR("database", database),
    {"socket_mode", S_MODE, 0, 0777, offsetof(struct settings, socket_mode), NULL},
    STR("socket_group", socket_group),
    STR("admin_group", admin_group),
    STR("read_group", read_group),
    {"log_level", S_LEVEL, 0, 0, offsetof(struct settings, log_level), NULL},
    SIZE("limits.max_line", max_line, 1024, 64LL << 20),
    INT("limits.max_clients", max_clients, 1, 100000),
    INT("limits.max_clients_per_uid", max_clients_per_uid, 1, 100000),
    INT("limits.max_watchers_per_uid", max_watchers_per_uid, 1, 100000),
    INT("limits.idle_timeout", idle_timeout, 1, 86400),
    INT("limits.write_timeout", write_timeout, 1, 86400),
    SIZE("limits.max_output", max_output, 4096, 1LL << 30),
    INT("retention_months", retention_months, 0, 600),
    INT("checkin_days_before", checkin_days_before, 0, 30),
    INT("default_duration", default_duration, 15, 1440),
    INT("audit_retention_months", audit_retention_months, 0, 600),
    CHOICE("mail.transport", mail_transport, "maildir|smtp|sendmail"),
    STR("mail.from", mail_from),
    STR("mail.from_name", mail_from_name),
    STR("mail.reply_to", mail_reply_to),
    STR("mail.maildir", maildir),
    STR("mail.sendmail", sendmail_path),
    STR("mail.smtp_url", smtp_url),
    STR("mail.smtp_username", smtp_username),
    STR("mail.smtp_password", smtp_password),
    CHOICE("mail.smtp_starttls", smtp_starttls, "never|try|always"),
    INT("mail.max_connections", mail_max_connections, 1, 64),
    INT("mail.rate", mail_rate, 0, 10000),
    INT("mail.retry_base", mail_retry_base, 1, 86400),
    INT("mail.max_attempts", mail_max_attempts, 1, 1000),
    STR("mail.templates_directory", templates_directory),
    STR("http.address", http_address),
    INT("http.port", http_port, 1, 65535),
    STR("http.base_url", http_base_url),
    SIZE("http.max_body", http_max_body, HTTP_MIN_BODY, 1 << 20),
    SIZE("http.max_headers", http_max_headers, 1024, 1 << 20),
    INT("http.timeout", http_timeout, 1, 3600),
    INT("http.max_connections", http_max_connections, 1, 100000),
    INT("http.registrations_per_hour", http_registrations_per_hour, 0, 100000),
    CHOICE("http.forwarded_for", http_forwarded_for, "ignore|trust"),
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
	cfg->max_watchers_per_uid = 4;
	cfg->idle_timeout = 60;
	cfg->write_timeout = 300;
	cfg->max_output = 1024 * 1024;
	cfg->retention_months = 12;
	cfg->audit_retention_months = 24;
	cfg->default_duration = 240;
	cfg->mail_transport = MAIL_MAILDIR;
	cfg->mail_from = strdup("adfd@localhost");
	cfg->mail_from_name = strdup("Les Ateliers des Départements de France");
	cfg->sendmail_path = strdup("/usr/sbin/sendmail");
	cfg->smtp_url = strdup("smtp://127.0.0.1:25");
	cfg->smtp_starttls = 1;
	cfg->mail_max_connections = 2;
	cfg->mail_retry_base = 60;
	cfg->mail_max_attempts = 12;
	cfg->http_address = strdup("127.0.0.1");
	cfg->http_max_body = 64 * 1024;
	cfg->http_max_headers = 8 * 1024;
	cfg->http_timeout = 30;
	cfg->http_max_connections = 256;
	cfg->http_registrations_per_hour = 20;
	static const struct reminder_setting defaults[] = {
	    {"j7", 7 * 86400, false, AUDIENCE_REGISTRANTS | AUDIENCE_SPEAKERS, "rappel-j7"},
	    {"j1", 86400, false, AUDIENCE_REGISTRANTS | AUDIENCE_SPEAKERS, "rappel-j1"},
	    {"merci", 86400, true, AUDIENCE_ATTENDEES, "merci-participants"},
	    {"replay", 86400, true, AUDIENCE_NOSHOWS, "replay-absents"},
	    {"merci-intervenants", 86400, true, AUDIENCE_SPEAKERS, "merci-intervenants"},
	};
	cfg->reminders = malloc(sizeof defaults);
	if (cfg->reminders) {
		memcpy(cfg->reminders, defaults, sizeof defaults);
		cfg->reminders_len = sizeof defaults / sizeof defaults[0];
	}
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
	free(cfg->mail_from);
	free(cfg->mail_from_name);
	free(cfg->mail_reply_to);
	free(cfg->maildir);
	free(cfg->sendmail_path);
	free(cfg->smtp_url);
	free(cfg->smtp_username);
	free(cfg->smtp_password);
	free(cfg->templates_directory);
	free(cfg->http_address);
	free(cfg->http_base_url);
	free(cfg->reminders);
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
		if (config_setting_is_group(s) &&
		    (strcmp(path, "limits") == 0 || strcmp(path, "mail") == 0 ||
		     strcmp(path, "http") == 0)) {
			char sub[160];
			snprintf(sub, sizeof sub, "%s.", path);
			if (check_known(s, sub, file, err) < 0)
				return -1;
			continue;
		}
		if (strcmp(path, "reminders") == 0)
			continue;
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
	case S_SIZE:
		if (config_setting_type(s) != CONFIG_TYPE_INT &&
		    config_setting_type(s) != CONFIG_TYPE_INT64)
			return where_fail(err, file, line, "%s: expected an integer", st->path);
		v = config_setting_get_int64(s);
		if (v < st->min || v > st->max)
			return where_fail(err, file, line, "%s: %lld is out of range %lld..%lld",
					  st->path, v, st->min, st->max);
		if (st->kind == S_INT)
			*(int *)field = (int)v;
		else
			*(size_t *)field = (size_t)v;
		return 0;
	case S_CHOICE: {
		int index = 0;
		size_t n = str ? strlen(str) : 0;
		for (const char *c = st->choices; str && c; index++) {
			const char *bar = strchr(c, '|');
			size_t len = bar ? (size_t)(bar - c) : strlen(c);
			if (len == n && strncmp(c, str, n) == 0) {
				*(int *)field = index;
				return 0;
			}
			c = bar ? bar + 1 : NULL;
		}
		return where_fail(err, file, line, "%s: expected one of %s", st->path, st->choices);
	}
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
		/* a socket is read and written, never executed; adfd's own uid
		 * needs both; a group or others with one and not the other
		 * could only half talk */
		bool half = ((v >> 3) & 06) == 02 || ((v >> 3) & 06) == 04 || (v & 06) == 02 ||
			    (v & 06) == 04;
		if ((v & 0111) || (v & 0600) != 0600 || half)
			return where_fail(
			    err, file, line,
			    "%s: \"%s\" does not suit a socket: say 0600, 0660 or 0666 "
			    "(read and write together, never execute)",
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

int audience_bit(const char *word)
{
	static const struct {
		const char *word;
		int bit;
	} words[] = {{"registrants", AUDIENCE_REGISTRANTS},
		     {"speakers", AUDIENCE_SPEAKERS},
		     {"attendees", AUDIENCE_ATTENDEES},
		     {"noshows", AUDIENCE_NOSHOWS},
		     {"waitlisted", AUDIENCE_WAITLISTED}};
	for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
		if (!strcmp(word, words[i].word))
			return words[i].bit;
	return 0;
}

void audience_words(int audience, char *out, size_t n)
{
	static const char *const names[] = {"registrants", "speakers", "attendees", "noshows",
					    "waitlisted"};
	size_t used = 0;
	out[0] = '\0';
	for (int i = 0; i < 5; i++)
		if (audience & (1 << i))
			used += (size_t)snprintf(out + used, used < n ? n - used : 0, "%s%s",
						 used ? "," : "", names[i]);
}

/* reminders = ( { name = "j7"; offset = "7d"; audience = ["registrants",
 * "speakers"]; template = "rappel-j7"; }, { name = "merci"; after = "1d";
 * audience = ["attendees"]; template = "merci-participants"; } ... ); */
static int parse_reminders(config_setting_t *list, struct settings *cfg, const char *file,
			   struct adf_error *err)
{
	int line = config_setting_source_line(list);
	if (!config_setting_is_list(list) && !config_setting_is_array(list))
		return where_fail(err, file, line, "reminders: expected a list ( {...}, ... )");
	int n = config_setting_length(list);
	struct reminder_setting *rules = calloc((size_t)(n ? n : 1), sizeof *rules);
	if (!rules)
		return adf_fail(err, ADF_E_INTERNAL, "out of memory");
	for (int i = 0; i < n; i++) {
		config_setting_t *g = config_setting_get_elem(list, (unsigned)i);
		const char *name = NULL, *offset = NULL, *after = NULL, *template = NULL;
		line = config_setting_source_line(g);
		if (config_setting_is_group(g)) {
			config_setting_lookup_string(g, "offset", &offset);
			config_setting_lookup_string(g, "after", &after);
		}
		if (!config_setting_is_group(g) ||
		    !config_setting_lookup_string(g, "name", &name) || !offset == !after ||
		    !config_setting_lookup_string(g, "template", &template)) {
			free(rules);
			return where_fail(err, file, line,
					  "reminders: each rule needs name, template, and offset "
					  "(before the start) or after (after the end)");
		}
		for (int k = 0; k < config_setting_length(g); k++) {
			const char *key =
			    config_setting_name(config_setting_get_elem(g, (unsigned)k));
			if (strcmp(key, "name") && strcmp(key, "offset") && strcmp(key, "after") &&
			    strcmp(key, "template") && strcmp(key, "audience")) {
				free(rules);
				return where_fail(err, file, line,
						  "reminders: unknown setting \"%s\"", key);
			}
		}
		if (strlen(name) >= sizeof rules[i].name ||
		    strlen(template) >= sizeof rules[i].template ||
		    strspn(name, "abcdefghijklmnopqrstuvwxyz0123456789-_") != strlen(name) ||
		    !*name) {
			free(rules);
			return where_fail(
			    err, file, line,
			    "reminders: name and template are short words (a-z, 0-9, -)");
		}
		rules[i].after = after != NULL;
		rules[i].offset = offset_parse(after ? after : offset);
		if (rules[i].offset < 0 || (after && rules[i].offset > 30 * 86400)) {
			free(rules);
			return where_fail(
			    err, file, line,
			    "reminders: %s \"%s\" is not like \"7d\", \"12h\", "
			    "\"90m\" or \"30s\" (at most a year before, 30 days after)",
			    after ? "after" : "offset", after ? after : offset);
		}
		snprintf(rules[i].name, sizeof rules[i].name, "%s", name);
		snprintf(rules[i].template, sizeof rules[i].template, "%s", template);
		config_setting_t *aud = config_setting_lookup(g, "audience");
		rules[i].audience = aud	    ? 0
				    : after ? AUDIENCE_ATTENDEES | AUDIENCE_SPEAKERS
					    : AUDIENCE_REGISTRANTS | AUDIENCE_SPEAKERS;
		for (int k = 0; aud && k < config_setting_length(aud); k++) {
			const char *who = config_setting_get_string_elem(aud, k);
			int bit = who ? audience_bit(who) : 0;
			/* attendees and no-shows are known once the Atelier is over */
			if (!bit || bit == AUDIENCE_WAITLISTED ||
			    (!after && (bit & (AUDIENCE_ATTENDEES | AUDIENCE_NOSHOWS)))) {
				free(rules);
				return where_fail(
				    err, file, config_setting_source_line(aud),
				    "reminders: audience is a list of \"registrants\" and "
				    "\"speakers\" (before), or of \"attendees\", "
				    "\"noshows\", \"registrants\" and \"speakers\" (after)");
			}
			rules[i].audience |= bit;
		}
		for (int k = 0; k < i; k++)
			if (!strcmp(rules[k].name, rules[i].name)) {
				free(rules);
				return where_fail(err, file, line,
						  "reminders: two rules named \"%s\"", name);
			}
	}
	free(cfg->reminders);
	cfg->reminders = rules;
	cfg->reminders_len = (size_t)n;
	return 0;
}

/* A URL goes into mail headers as it is: printable ASCII, no spaces. */
static bool url_safe(const char *s)
{
	for (; *s; s++)
		if (*s <= ' ' || *s >= 0x7f || *s == '<' || *s == '>' || *s == '"')
			return false;
	return true;
}

static char *join_path(const char *dir, const char *name)
{
	size_t n = strlen(dir) + strlen(name) + 2;
	char *p = malloc(n);
	if (p)
		snprintf(p, n, "%s/%s", dir, name);
	return p;
}

/* libconfig 1.5 reads an integer too large for 32 bits, written without
 * an L suffix, as its low 32 bits (retention_months = 4294967297 would be
 * 1): such a number is found in the text first and refused. Strings and
 * comments are skipped. */
static int check_large_integers(const char *path, struct adf_error *err)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return 0; /* config_read_file says why */
	char text[4096];
	int line = 0, rc = 0;
	bool in_block_comment = false;
	while (rc == 0 && fgets(text, sizeof text, f)) {
		line++;
		bool in_string = false;
		for (char *p = text; *p; p++) {
			if (in_block_comment) {
				if (p[0] == '*' && p[1] == '/')
					in_block_comment = false, p++;
				continue;
			}
			if (in_string) {
				if (*p == '\\' && p[1])
					p++;
				else if (*p == '"')
					in_string = false;
				continue;
			}
			if (*p == '"') {
				in_string = true;
				continue;
			}
			if (*p == '#' || (p[0] == '/' && p[1] == '/'))
				break;
			if (p[0] == '/' && p[1] == '*') {
				in_block_comment = true;
				p++;
				continue;
			}
			bool starts = isdigit((unsigned char)*p) &&
				      (p == text || !(isalnum((unsigned char)p[-1]) ||
						      p[-1] == '.' || p[-1] == '_'));
			if (!starts)
				continue;
			char *end;
			errno = 0;
			long long v = strtoll(p, &end, 10);
			bool number =
			    *end != '.' && *end != 'e' && *end != 'E' && *end != 'x' && *end != 'L';
			if (number && (errno == ERANGE || v > INT_MAX))
				rc = where_fail(
				    err, path, line,
				    "%.*s is too large a number (settings stay far below "
				    "2147483647)",
				    (int)(end - p), p);
			p = end - 1;
		}
	}
	fclose(f);
	return rc;
}

int settings_load(const char *path, struct settings *out, struct adf_error *err)
{
	struct settings cfg;
	config_t lc;
	int rc = 0;

	set_defaults(&cfg);
	if (path) {
		config_init(&lc);
		rc = check_large_integers(path, err);
		if (rc == 0 && config_read_file(&lc, path) == CONFIG_FALSE) {
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
			/* the links in mails must work from a participant's mailbox */
			if (rc == 0 && s &&
			    settings[i].offset == offsetof(struct settings, http_base_url) &&
			    ((strncmp(cfg.http_base_url, "http://", 7) &&
			      strncmp(cfg.http_base_url, "https://", 8)) ||
			     strlen(cfg.http_base_url) > 200 || !url_safe(cfg.http_base_url)))
				rc = where_fail(err, path, config_setting_source_line(s),
						"http.base_url: expected an address starting with "
						"http:// or https://, without spaces, at most 200 "
						"characters");
		}
		config_setting_t *reminders = rc == 0 ? config_lookup(&lc, "reminders") : NULL;
		if (reminders)
			rc = parse_reminders(reminders, &cfg, path, err);
		/* credentials never travel in clear: with them, STARTTLS is
		 * required ("try" would let a man in the middle strip it) */
		config_setting_t *tls = config_lookup(&lc, "mail.smtp_starttls");
		bool clear_url = cfg.smtp_url && !strncasecmp(cfg.smtp_url, "smtp://", 7);
		/* "smtp://user:password@host" carries credentials too */
		const char *authority = clear_url ? cfg.smtp_url + 7 : NULL;
		size_t host_part = authority ? strcspn(authority, "/?#") : 0;
		bool url_credentials = authority && memchr(authority, '@', host_part);
		bool credentials = cfg.smtp_username || url_credentials;
		if (rc == 0 && credentials && clear_url && cfg.smtp_starttls == 0)
			rc = where_fail(
			    err, path, tls ? config_setting_source_line(tls) : 1,
			    "mail.smtp_starttls: \"never\" would send the SMTP credentials "
			    "in clear: say \"always\", or use an smtps:// URL");
		if (rc == 0 && credentials && clear_url)
			cfg.smtp_starttls = 2;
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
		if (!cfg.maildir)
			cfg.maildir = join_path(cfg.state_directory, "outbox");
		if (cfg.http_port && !cfg.http_base_url) {
			char url[300];
			snprintf(url, sizeof url, "http://%s:%d", cfg.http_address, cfg.http_port);
			cfg.http_base_url = strdup(url);
		}
		/* links are made as base_url + "/annulation/..." */
		for (size_t n = cfg.http_base_url ? strlen(cfg.http_base_url) : 0;
		     n > 0 && cfg.http_base_url[n - 1] == '/';)
			cfg.http_base_url[--n] = '\0';
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
