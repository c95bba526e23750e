/* The command line of a command, read through its table entry: positional
 * words, --options, types, and the help text, all from common/cmdtable.c. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ctl.h"
#include "i18n.h"
#include "text.h"

/* A choice as a French organiser may type it ("élu", "programmé", "liste
 * d'attente"): the protocol's word it means, else the word as typed (the
 * table then refuses it, naming the choices). */
static const char *choice_of(const struct cmd_arg *arg, const char *word)
{
	char typed[128], choices[256];
	text_fold(word, typed, sizeof typed);
	snprintf(choices, sizeof choices, "%s", arg->choices ? arg->choices : "");
	for (char *save, *c = strtok_r(choices, "|", &save); c; c = strtok_r(NULL, "|", &save)) {
		char folded[128];
		text_fold(c, folded, sizeof folded);
		const char *said = status_text(c);
		char folded_said[128] = "";
		if (said)
			text_fold(said, folded_said, sizeof folded_said);
		/* "élue", "agente": the feminine of a category */
		size_t n = strlen(typed);
		bool feminine = n > 1 && typed[n - 1] == 'e' && strlen(folded) == n - 1 &&
				!strncmp(typed, folded, n - 1);
		if (!strcmp(typed, folded) || feminine || (said && !strcmp(typed, folded_said))) {
			static char chosen[128];
			snprintf(chosen, sizeof chosen, "%s", c);
			return chosen;
		}
	}
	return word;
}

/* A mail rule's audience as typed ("inscrits,intervenants"): the words
 * of the protocol, joined by commas. */
static const char *audience_of(const char *typed, char *out, size_t n)
{
	static const struct cmd_arg words = {.choices = "registrants|speakers|attendees|noshows"};
	char copy[256];
	size_t len = 0;
	snprintf(copy, sizeof copy, "%s", typed);
	out[0] = '\0';
	for (char *save, *w = strtok_r(copy, ",", &save); w; w = strtok_r(NULL, ",", &save)) {
		while (*w == ' ')
			w++;
		int k = snprintf(out + len, n - len, "%s%s", len ? "," : "", choice_of(&words, w));
		if (k < 0 || (size_t)k >= n - len)
			return typed;
		len += (size_t)k;
	}
	return out;
}

static json_t *convert(const struct cmd_arg *arg, const char *word)
{
	if (arg->type == ARG_INT) {
		char *end;
		errno = 0;
		long long v = strtoll(word, &end, 10);
		if (errno || end == word || *end) {
			fprintf(stderr, _("adfctl: --%s: \"%s\" is not an integer\n"), arg->name,
				word);
			return NULL;
		}
		return json_integer(v);
	}
	if (arg->type == ARG_ROWS)
		return csv_read_rows(word);
	if (arg->type == ARG_ENUM)
		word = choice_of(arg, word);
	char audience[256];
	if (!strcmp(arg->name, "audience"))
		word = audience_of(word, audience, sizeof audience);
	json_t *v = json_string(word);
	if (!v)
		fprintf(stderr, _("adfctl: --%s: not valid UTF-8\n"), arg->name);
	return v;
}

static int set_arg(json_t *args, const struct cmd_arg *arg, json_t *value)
{
	struct adf_error err;
	if (!value)
		return -1;
	if (arg_validate(arg, value, &err) < 0) {
		char text[sizeof err.message];
		fprintf(stderr, _("adfctl: %s\n"), error_text_local(&err, text, sizeof text));
		json_decref(value);
		return -1;
	}
	json_object_set_new(args, arg->name, value);
	return 0;
}

int args_parse(const struct cmd_entry *cmd, int argc, char **argv, json_t **out)
{
	json_t *args = json_object();
	const struct cmd_arg *next_pos = cmd->args;

	for (int i = 0; i < argc; i++) {
		const char *word = argv[i];
		const struct cmd_arg *arg = NULL;
		json_t *value;
		if (strncmp(word, "--", 2) == 0 && word[2]) {
			char name[64];
			const char *eq = strchr(word + 2, '=');
			size_t n = eq ? (size_t)(eq - word - 2) : strlen(word + 2);
			snprintf(name, sizeof name, "%.*s", (int)n, word + 2);
			arg = cmd_find_arg(cmd, name);
			if (!arg) {
				fprintf(stderr, _("adfctl: %s: unknown option --%s (see --help)\n"),
					cmd->name, name);
				goto fail;
			}
			if (arg->type == ARG_BOOL) {
				if (eq) {
					fprintf(stderr, _("adfctl: --%s takes no value\n"), name);
					goto fail;
				}
				value = json_true();
			} else if (eq) {
				value = convert(arg, eq + 1);
			} else if (i + 1 < argc) {
				value = convert(arg, argv[++i]);
			} else {
				fprintf(stderr, _("adfctl: --%s needs a value (%s)\n"), name,
					_(arg_type_name(arg->type)));
				goto fail;
			}
		} else {
			while (next_pos->name && !(next_pos->flags & ARG_POS))
				next_pos++;
			if (!next_pos->name) {
				fprintf(stderr,
					_("adfctl: %s: unexpected word \"%s\" (see --help)\n"),
					cmd->name, word);
				goto fail;
			}
			arg = next_pos++;
			value = convert(arg, word);
		}
		if (set_arg(args, arg, value) < 0)
			goto fail;
	}
	for (const struct cmd_arg *a = cmd->args; a->name; a++)
		if ((a->flags & ARG_REQUIRED) && !json_object_get(args, a->name)) {
			fprintf(stderr, _("adfctl: %s: missing %s%s (see --help)\n"), cmd->name,
				a->flags & ARG_POS ? "" : "--", a->name);
			goto fail;
		}
	*out = args;
	return 0;
fail:
	json_decref(args);
	return -1;
}

/* "atelier.add" is typed "atelier add". */
static void print_words(FILE *out, const char *name)
{
	for (const char *p = name; *p; p++)
		fputc(*p == '.' ? ' ' : *p, out);
}

void help_command(FILE *out, const struct cmd_entry *cmd)
{
	fprintf(out, _("usage: adfctl "));
	print_words(out, cmd->name);
	for (const struct cmd_arg *a = cmd->args; a->name; a++) {
		if (a->flags & ARG_POS)
			fprintf(out, a->flags & ARG_REQUIRED ? " %s" : " [%s]", a->name);
	}
	for (const struct cmd_arg *a = cmd->args; a->name; a++) {
		if (a->flags & ARG_POS)
			continue;
		const char *fmt = a->flags & ARG_REQUIRED ? " --%s" : " [--%s";
		fprintf(out, fmt, a->name);
		if (a->type != ARG_BOOL)
			fprintf(out, " %s",
				a->type == ARG_ENUM ? a->choices : _(arg_type_name(a->type)));
		if (!(a->flags & ARG_REQUIRED))
			fputc(']', out);
	}
	fprintf(out, _("\n\n%s (role: %s)\n"), _(cmd->summary), _(cmd_role_name(cmd->role)));
	if (cmd->args->name)
		fputc('\n', out);
	for (const struct cmd_arg *a = cmd->args; a->name; a++)
		fprintf(out, "  %s%-14s %s%s\n", a->flags & ARG_POS ? "  " : "--", a->name,
			_(a->help), a->flags & ARG_WRITE ? _(" (needs the admin role)") : "");
}

void help_all(FILE *out, const char *noun)
{
	size_t n = noun ? strlen(noun) : 0;
	if (!noun)
		fprintf(
		    out,
		    _("usage: adfctl [-s SOCKET] [--json] COMMAND [ARGS]\n\n"
		      "  -s, --socket PATH  adfd's socket (default: $ADF_SOCKET, "
		      "/run/adf/adfd.sock, ./state/adfd.sock)\n"
		      "  -j, --json         print the daemon's data as JSON\n\n"
		      "commands:\n"
		      "  help [NOUN]          this list\n"
		      "  batch                send NDJSON requests from stdin, print the answers\n"
		      "  version              print adfctl's version\n"));
	for (size_t i = 0; i < cmd_table_len; i++) {
		const struct cmd_entry *c = &cmd_table[i];
		if (noun && (strncmp(c->name, noun, n) != 0 || (c->name[n] && c->name[n] != '.')))
			continue;
		fprintf(out, "  ");
		print_words(out, c->name);
		int pad = 22 - (int)strlen(c->name);
		fprintf(out, "%*s %s\n", pad > 1 ? pad : 1, "", _(c->summary));
	}
	fprintf(out,
		_("\nRun 'adfctl NOUN VERB --help' for a command's options; see adfctl(1).\n"));
}
