#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "embedded.h"
#include "template.h"

const char *const template_variables[] = {
    "atelier.title",
    "atelier.day_fr",
    "atelier.when_fr",
    "atelier.time_fr",
    "atelier.venue",
    "atelier.city",
    "atelier.departement_name",
    "atelier.edition_fr",
    "atelier.programme",
    "atelier.programme_hint",
    "atelier.cancel_reason_fr",
    "atelier.replay_hint",
    "atelier.slides_hint",
    "change.was_when_fr",
    "change.was_place",
    "reminder.delay_fr",
    "reminder.promise_fr",
    "person.name",
    "person.civility",
    "person.greeting",
    "registration.position",
    "registration.state_fr",
    "registration.cancel_hint",
    "registration.survey_hint",
    "mail.from_name",
    "mail.privacy_hint",
    NULL,
};

static bool known_variable(const char *name, size_t n)
{
	for (const char *const *v = template_variables; *v; v++)
		if (strlen(*v) == n && strncmp(*v, name, n) == 0)
			return true;
	return false;
}

/* Checks every {{...}} of text, whose first line is `first_line` of src. */
static int check_variables(const char *text, const char *src, int first_line, struct adf_error *err)
{
	int line = first_line;
	for (const char *p = text; *p; p++) {
		if (*p == '\n')
			line++;
		if (p[0] != '{' || p[1] != '{')
			continue;
		const char *end = strstr(p + 2, "}}");
		const char *nl = strchr(p + 2, '\n');
		if (!end || (nl && nl < end))
			return adf_fail(err, ADF_E_BAD_REQUEST, "%s:%d: \"{{\" without \"}}\"", src,
					line);
		const char *name = p + 2;
		size_t n = (size_t)(end - name);
		while (n > 0 && *name == ' ')
			name++, n--;
		while (n > 0 && name[n - 1] == ' ')
			n--;
		if (!known_variable(name, n))
			return adf_fail(err, ADF_E_BAD_REQUEST, "%s:%d: unknown variable {{%.*s}}",
					src, line, (int)n, name);
		p = end + 1;
	}
	return 0;
}

/* "Subject: ..." on the first line, a blank line, then the body. */
static int parse(struct template *t, const char *text, struct adf_error *err)
{
	if (strncmp(text, "Subject:", 8) != 0)
		return adf_fail(err, ADF_E_BAD_REQUEST,
				"%s:1: the first line must be \"Subject: ...\"", t->source);
	const char *eol = strchr(text, '\n');
	size_t n = eol ? (size_t)(eol - text) : strlen(text);
	const char *subject = text + 8;
	while (*subject == ' ')
		subject++, n--;
	t->subject = strndup(subject, n - 8);
	const char *body = eol ? eol + 1 : "";
	int first_body_line = 2;
	if (*body == '\n' || (body[0] == '\r' && body[1] == '\n')) {
		body += *body == '\n' ? 1 : 2;
		first_body_line = 3;
	}
	t->body = strdup(body);
	if (!t->subject || !t->body)
		return adf_fail(err, ADF_E_INTERNAL, "out of memory");
	if (strchr(t->subject, '\r'))
		t->subject[strcspn(t->subject, "\r")] = '\0';
	if (check_variables(t->subject, t->source, 1, err) < 0 ||
	    check_variables(t->body, t->source, first_body_line, err) < 0)
		return -1;
	return 0;
}

static char *read_file(const char *path, struct adf_error *err)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		adf_fail(err, ADF_E_BAD_REQUEST, "%s: cannot read: %s", path, strerror(errno));
		return NULL;
	}
	char *text = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);
	char buf[8192];
	size_t n;
	while (out && (n = fread(buf, 1, sizeof buf, f)) > 0 && len < (1u << 20))
		fwrite(buf, 1, n, out);
	fclose(f);
	if (out)
		fclose(out);
	return text;
}

static struct template *add(struct templates *t, const char *name)
{
	struct template *items = realloc(t->items, (t->len + 1) * sizeof *items);
	if (!items)
		return NULL;
	t->items = items;
	struct template *it = &items[t->len++];
	memset(it, 0, sizeof *it);
	snprintf(it->name, sizeof it->name, "%s", name);
	return it;
}

static bool template_name(const char *file, char *name, size_t n)
{
	size_t len = strlen(file);
	if (len < 5 || len - 4 >= n || strcmp(file + len - 4, ".txt") != 0 || file[0] == '.')
		return false;
	snprintf(name, n, "%.*s", (int)(len - 4), file);
	return true;
}

int templates_load(struct templates *out, const char *dir, struct adf_error *err)
{
	struct templates t = {NULL, 0};
	char name[64], path[320];
	for (unsigned i = 0; i < template_files_len; i++) {
		if (!template_name(template_files[i].name, name, sizeof name))
			continue;
		struct template *it = add(&t, name);
		if (!it)
			goto oom;
		snprintf(it->source, sizeof it->source, "built-in %s", template_files[i].name);
		if (parse(it, template_files[i].text, err) < 0)
			goto fail;
	}
	DIR *d = dir ? opendir(dir) : NULL;
	if (dir && !d) {
		adf_fail(err, ADF_E_BAD_REQUEST, "%s: %s", dir, strerror(errno));
		goto fail;
	}
	struct dirent *e;
	while (d && (e = readdir(d))) {
		if (!template_name(e->d_name, name, sizeof name))
			continue;
		snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
		struct template *it = (struct template *)template_find(&t, name);
		if (it) {
			free(it->subject);
			free(it->body);
			it->subject = it->body = NULL;
		} else if (!(it = add(&t, name))) {
			closedir(d);
			goto oom;
		}
		snprintf(it->source, sizeof it->source, "%s", path);
		char *text = read_file(path, err);
		int rc = text ? parse(it, text, err) : -1;
		free(text);
		if (rc < 0) {
			closedir(d);
			goto fail;
		}
	}
	if (d)
		closedir(d);
	*out = t;
	return 0;
oom:
	adf_fail(err, ADF_E_INTERNAL, "out of memory");
fail:
	templates_free(&t);
	return -1;
}

void templates_free(struct templates *t)
{
	for (size_t i = 0; i < t->len; i++) {
		free(t->items[i].subject);
		free(t->items[i].body);
	}
	free(t->items);
	t->items = NULL;
	t->len = 0;
}

const struct template *template_find(const struct templates *t, const char *name)
{
	for (size_t i = 0; i < t->len; i++)
		if (strcmp(t->items[i].name, name) == 0)
			return &t->items[i];
	return NULL;
}

static char *render(const char *text, json_t *vars)
{
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);
	if (!f)
		return NULL;
	for (const char *p = text; *p; p++) {
		if (p[0] == '{' && p[1] == '{') {
			const char *end = strstr(p + 2, "}}");
			if (end) {
				char name[64];
				const char *s = p + 2;
				size_t n = (size_t)(end - s);
				while (n > 0 && *s == ' ')
					s++, n--;
				while (n > 0 && s[n - 1] == ' ')
					n--;
				snprintf(name, sizeof name, "%.*s", (int)n, s);
				const char *value = json_string_value(json_object_get(vars, name));
				fputs(value ? value : "", f);
				p = end + 1;
				continue;
			}
		}
		fputc(*p, f);
	}
	fclose(f);
	return out;
}

/* Whether a template line holds only variables (and spaces). */
static bool only_variables(const char *line, size_t n)
{
	bool any = false;
	for (size_t i = 0; i < n;) {
		if (line[i] == ' ' || line[i] == '\t' || line[i] == '\r') {
			i++;
			continue;
		}
		const char *end = line[i] == '{' && i + 1 < n && line[i + 1] == '{'
				      ? strstr(line + i + 2, "}}")
				      : NULL;
		if (!end || end + 2 > line + n)
			return false;
		i = (size_t)(end + 2 - line);
		any = true;
	}
	return any;
}

/* The body, line by line: a line of variables that all came out empty
 * ("{{atelier.replay_hint}}" before a replay exists) goes, and so does the
 * blank line it would leave doubled. */
static char *render_body(const char *text, json_t *vars)
{
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);
	if (!f)
		return NULL;
	bool last_blank = true, dropped = false;
	for (const char *p = text; *p;) {
		size_t n = strcspn(p, "\n");
		char *line = strndup(p, n);
		char *done = line ? render(line, vars) : NULL;
		bool blank = done && done[strspn(done, " \t\r")] == '\0';
		bool drop = blank && ((only_variables(p, n) && n > 0) || (dropped && last_blank));
		if (done && !drop) {
			fputs(done, f);
			if (p[n] == '\n')
				fputc('\n', f);
			last_blank = blank;
		}
		dropped = drop ? true : blank ? dropped : false;
		free(line);
		free(done);
		if (!done) {
			fclose(f);
			free(out);
			return NULL;
		}
		p += n + (p[n] == '\n');
	}
	fclose(f);
	return out;
}

int template_render(const struct template *t, json_t *vars, char **subject, char **body)
{
	*subject = render(t->subject, vars);
	*body = render_body(t->body, vars);
	if (*subject && *body)
		return 0;
	free(*subject);
	free(*body);
	return -1;
}
