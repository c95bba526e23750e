#include "config.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "log.h"

static enum log_level current_level = LOG_LEVEL_INFO;
static bool to_journal;

static const struct {
	const char *name;
	const char *prefix;
	int priority; /* syslog's */
} levels[] = {
    [LOG_LEVEL_ERROR] = {"error", "error: ", 3},
    [LOG_LEVEL_WARNING] = {"warning", "warning: ", 4},
    [LOG_LEVEL_INFO] = {"info", "info: ", 6},
    [LOG_LEVEL_DEBUG] = {"debug", "debug: ", 7},
};

/* systemd sets JOURNAL_STREAM=dev:ino of the stream it gave us; stderr is the
 * journal only if it is still that very file. */
static bool stderr_is_journal(void)
{
	const char *env = getenv("JOURNAL_STREAM");
	unsigned long long dev, ino;
	struct stat st;
	if (!env || sscanf(env, "%llu:%llu", &dev, &ino) != 2 || fstat(2, &st) < 0)
		return false;
	return (unsigned long long)st.st_dev == dev && (unsigned long long)st.st_ino == ino;
}

void log_init(enum log_level level)
{
	current_level = level;
	to_journal = stderr_is_journal();
}

void log_set_level(enum log_level level)
{
	current_level = level;
}

int log_level_parse(const char *name, enum log_level *out)
{
	for (size_t i = 0; i < sizeof levels / sizeof levels[0]; i++)
		if (strcmp(levels[i].name, name) == 0) {
			*out = (enum log_level)i;
			return 0;
		}
	return -1;
}

/* A journal cannot be redacted, so a line never holds an e-mail address
 * (an SMTP server's reply may quote one: "550 <marie@example.fr>: ..."),
 * and never breaks in two (a CR or LF in such a reply): every word with
 * an '@' becomes "[address]", every control character "\\xNN". */
static void make_safe(const char *in, char *out, size_t n)
{
	size_t o = 0;
	for (const char *p = in; *p && o + 10 < n;) {
		size_t word = strcspn(p, " \t\r\n<>()[],;:\"'");
		if (word > 0 && memchr(p, '@', word)) {
			o += (size_t)snprintf(out + o, n - o, "[address]");
			p += word;
			continue;
		}
		size_t take = word > 0 ? word : 1;
		for (size_t i = 0; i < take && o + 10 < n; i++, p++) {
			unsigned char c = (unsigned char)*p;
			if (c < 0x20 || c == 0x7f)
				o += (size_t)snprintf(out + o, n - o, "\\x%02x", c);
			else
				out[o++] = (char)c;
		}
	}
	out[o] = '\0';
}

void log_msg(enum log_level level, const char *fmt, ...)
{
	if (level > current_level)
		return;
	char raw[1024], line[1400];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(raw, sizeof raw, fmt, ap);
	va_end(ap);
	make_safe(raw, line, sizeof line);
	if (to_journal)
		fprintf(stderr, "<%d>%s\n", levels[level].priority, line);
	else
		fprintf(stderr, "adfd: %s%s\n", levels[level].prefix, line);
}
