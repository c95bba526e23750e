/* The door of an Atelier: each code a scanner (or a person) types gets one
 * line at once, with a bell when a person must look. */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "date.h"
#include "text.h"

#include "ctl.h"
#include "i18n.h"

#define BELL "\a"

/* "Mme Marie Dupont" */
static const char *who(json_t *reg, char *out, size_t n)
{
	const char *civility = json_str(reg, "civility");
	snprintf(out, n, "%s%s%s", civility ? civility : "", civility ? " " : "",
		 json_str(reg, "name") ? json_str(reg, "name") : "?");
	return out;
}

static bool feminine(json_t *reg)
{
	const char *civility = json_str(reg, "civility");
	return civility && !strcmp(civility, "Mme");
}

static bool masculine(json_t *reg)
{
	const char *civility = json_str(reg, "civility");
	return civility && !strcmp(civility, "M.");
}

/* A category as the door says it, agreeing with the civility in French. */
static const char *category_text(json_t *reg)
{
	const char *c = json_str(reg, "category");
	if (!c)
		return "";
	if (!strcmp(c, "elu"))
		return feminine(reg)	? C_(NC_("feminine", "elected"))
		       : masculine(reg) ? C_(NC_("masculine", "elected"))
					: _("elected");
	if (!strcmp(c, "agent"))
		return feminine(reg) ? C_(NC_("feminine", "staff")) : _("staff");
	if (!strcmp(c, "partenaire"))
		return _("partner");
	if (!strcmp(c, "presse"))
		return _("press");
	if (!strcmp(c, "entreprise"))
		return _("company");
	return _("public");
}

bool door_print(FILE *out, json_t *answer, bool scanning)
{
	const char *outcome = json_str(answer, "outcome");
	json_t *reg = json_object_get(answer, "registration");
	char name[400], hour[32];
	if (!outcome)
		outcome = "";
	if (!strcmp(outcome, "checked_in")) {
		const char *org = json_str(reg, "organisation");
		fprintf(out, "✓ %s — %s%s%s\n", who(reg, name, sizeof name), category_text(reg),
			org ? ", " : "", org ? org : "");
		return true;
	}
	if (!strcmp(outcome, "already")) {
		const char *at = hour_text(json_str(reg, "attended_at"), hour, sizeof hour);
		fprintf(out, "= %s — ", who(reg, name, sizeof name));
		if (feminine(reg))
			fprintf(out, C_(NC_("feminine", "already checked in at %s")), at);
		else if (masculine(reg))
			fprintf(out, C_(NC_("masculine", "already checked in at %s")), at);
		else
			fprintf(out, _("already checked in at %s"), at);
		fputs(BELL "\n", out);
		return true;
	}
	/* how to let them in all the same: "!" at the door, --force for one */
	const char *force = scanning ? _("type ! to let them in") : _("--force lets them in");
	if (!strcmp(outcome, "waitlisted"))
		fprintf(out, _("! %s — on the waiting list (position %lld): %s"),
			who(reg, name, sizeof name), json_int(reg, "position"), force);
	else if (!strcmp(outcome, "cancelled"))
		fprintf(out, _("! %s — registration cancelled: %s"), who(reg, name, sizeof name),
			force);
	else if (!strcmp(outcome, "other_atelier"))
		fprintf(out, _("✗ a badge of another Atelier (%lld)"), json_int(answer, "atelier"));
	else if (!strcmp(outcome, "ambiguous")) {
		fprintf(out, _("? several people: "));
		size_t i;
		json_t *c;
		json_array_foreach(json_object_get(answer, "candidates"), i, c)
		{
			const char *org = json_str(c, "organisation");
			fprintf(out, "%s%s%s%s%s", i ? "; " : "", who(c, name, sizeof name),
				org ? " (" : "", org ? org : "", org ? ")" : "");
		}
		if (json_int(answer, "more") > 0)
			fprintf(out, _(" and %lld more"), json_int(answer, "more"));
		fprintf(out, _(": type more of the name"));
	} else
		fprintf(out, _("✗ unknown: %s"), json_str(answer, "input") ?: "");
	fputs(BELL "\n", out);
	return false;
}

/* "+ Mme Marie Dupont; marie@example.fr; CD 05; élue" as register's args;
 * NULL after printing how a walk-in line reads. */
static json_t *walk_in_args(const struct cmd_entry *reg, long long atelier, char *line, FILE *out)
{
	char *fields[5] = {NULL};
	int n = 0;
	/* strtok would merge empty fields: "a;;b" has an empty organisation */
	for (char *f = line; f && n < 5; n++) {
		char *semi = strchr(f, ';');
		if (semi)
			*semi = '\0';
		while (*f == ' ')
			f++;
		for (size_t len = strlen(f); len > 0 && f[len - 1] == ' ';)
			f[--len] = '\0';
		fields[n] = f;
		f = semi ? semi + 1 : NULL;
	}
	bool civility =
	    fields[0] && (!strncmp(fields[0], "Mme ", 4) || !strncmp(fields[0], "M. ", 3));
	const char *name =
	    fields[0] ? fields[0] + (civility ? (fields[0][1] == 'm' ? 4 : 3) : 0) : "";
	if (n != 4 || !*name || !strcmp(fields[0], "M.") || !strcmp(fields[0], "Mme") ||
	    !*fields[1] || !*fields[3]) {
		fprintf(out, "%s" BELL "\n",
			_("✗ a walk-in reads: + name; e-mail; organisation; category"));
		return NULL;
	}
	char *words[16];
	int argc = 0;
	char atelier_word[24];
	snprintf(atelier_word, sizeof atelier_word, "%lld", atelier);
	words[argc++] = atelier_word;
	if (civility) {
		words[argc++] = "--civility";
		words[argc++] = fields[0][1] == 'm' ? "Mme" : "M.";
	}
	words[argc++] = "--name";
	words[argc++] = (char *)name;
	words[argc++] = "--email";
	words[argc++] = fields[1];
	if (*fields[2]) {
		words[argc++] = "--org";
		words[argc++] = fields[2];
	}
	words[argc++] = "--category";
	words[argc++] = fields[3];
	words[argc++] = "--checkin";
	json_t *args;
	/* the table checks every field and says what is wrong, as on the
	 * command line */
	if (args_parse(reg, argc, words, &args) < 0) {
		fflush(stderr);
		fprintf(out, "%s" BELL "\n", _("✗ the walk-in is not registered: see why above"));
		return NULL;
	}
	return args;
}

/* Sends one request, reconnecting when adfd has closed the idle connection
 * (a door may wait long between two people). */
static int call(struct conn *c, const char *socket_path, const char *command, json_t *args,
		struct proto_answer *a)
{
	if (conn_closed_by_peer(c)) {
		conn_close(c);
		if (conn_open(c, socket_path) < 0) {
			json_decref(args);
			return EXIT_NO_DAEMON;
		}
	}
	return conn_call(c, command, args, a);
}

int door_scan(const char *socket_path, json_t *args, FILE *in, FILE *out)
{
	struct conn c;
	if (conn_open(&c, socket_path) < 0)
		return EXIT_NO_DAEMON;
	long long atelier = json_int(args, "atelier");
	bool force = json_is_true(json_object_get(args, "force"));
	bool prompt = isatty(fileno(in)) && isatty(fileno(out));
	char *line = NULL;
	size_t cap = 0;
	int rc = EXIT_OK;
	/* the last request, which "!" sends again with force */
	json_t *last = NULL;
	const char *last_command = NULL;
	if (prompt)
		fprintf(out, _("Scan a badge, or type an e-mail or a name (Ctrl-D to stop).\n"));
	setvbuf(out, NULL, _IOLBF, 0);
	for (;;) {
		if (prompt)
			fputs("> ", out);
		if (getline(&line, &cap, in) < 0) {
			if (prompt)
				fputc('\n', out);
			break;
		}
		/* a scanner may end its code with a tab, a return or a space */
		line[strcspn(line, "\r\n")] = '\0';
		char *text = line + strspn(line, " \t");
		for (size_t len = strlen(text); len > 0 && strchr(" \t", text[len - 1]);)
			text[--len] = '\0';
		if (!*text)
			continue;
		char *clean = strdup(text);
		if (clean)
			utf8_clean(clean);
		bool valid = clean && !strcmp(clean, text);
		free(clean);
		if (!valid) {
			fprintf(out, "%s" BELL "\n",
				_("✗ not UTF-8 text: is the scanner set for this keyboard?"));
			continue;
		}
		const char *command = "checkin";
		json_t *req;
		if (!strcmp(text, "!")) {
			if (!last) {
				fprintf(out, "%s" BELL "\n", _("✗ nobody to let in"));
				continue;
			}
			json_object_set_new(last, "force", json_true());
			command = last_command;
			req = json_incref(last);
		} else {
			if (text[0] == '+') {
				req = walk_in_args(cmd_find("register"), atelier, text + 1, out);
				command = "register";
			} else {
				req = json_pack("{s:I,s:s}", "atelier", (json_int_t)atelier, "code",
						text);
			}
			json_decref(last);
			last = NULL;
			if (!req)
				continue;
			if (force)
				json_object_set_new(req, "force", json_true());
			last = json_incref(req);
			last_command = command;
		}
		struct proto_answer a;
		/* a walk-in who is registered after all: their check-in */
		if (!strcmp(command, "register")) {
			json_t *known = json_pack("{s:I,s:O,s:b}", "atelier", (json_int_t)atelier,
						  "code", json_object_get(req, "email"), "force",
						  json_is_true(json_object_get(req, "force")));
			json_t *again = json_incref(known);
			rc = call(&c, socket_path, "checkin", known, &a);
			if (rc != EXIT_OK) {
				json_decref(again);
				json_decref(req);
				break;
			}
			if (a.ok && strcmp(json_str(a.data, "outcome") ?: "", "unknown") != 0) {
				door_print(out, a.data, true);
				proto_answer_free(&a);
				json_decref(req);
				json_decref(last);
				last = again;
				last_command = "checkin";
				continue;
			}
			json_decref(again);
			proto_answer_free(&a);
		}
		rc = call(&c, socket_path, command, req, &a);
		if (rc != EXIT_OK)
			break;
		if (!a.ok) {
			char msg[600];
			const char *code = json_str(a.error, "code") ?: "";
			fprintf(out, "✗ %s%s%s" BELL "\n", error_text(a.error, msg, sizeof msg),
				!strcmp(code, "full") ? " — " : "",
				!strcmp(code, "full") ? _("type ! to let them in") : "");
			/* a role that may not check in may not check in the next one */
			if (!strcmp(code, "forbidden")) {
				proto_answer_free(&a);
				rc = EXIT_REFUSED;
				break;
			}
		} else if (!strcmp(command, "register")) {
			json_t *in_door =
			    json_pack("{s:s,s:O}", "outcome", "checked_in", "registration", a.data);
			door_print(out, in_door, true);
			json_decref(in_door);
		} else {
			door_print(out, a.data, true);
		}
		proto_answer_free(&a);
	}
	free(line);
	json_decref(last);
	conn_close(&c);
	return rc;
}
