/* adfctl: the organisers' tool; every command comes from the table that
 * adfd also reads (common/cmdtable.c). */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ctl.h"
#include "i18n.h"
#include "text.h"

/* "atelier" "add" -> the "atelier.add" entry, or a one-word command. */
static const struct cmd_entry *find_command(int argc, char **argv, int *used)
{
	if (argc >= 2) {
		char name[128];
		snprintf(name, sizeof name, "%s.%s", argv[0], argv[1]);
		const struct cmd_entry *cmd = cmd_find(name);
		if (cmd) {
			*used = 2;
			return cmd;
		}
	}
	*used = 1;
	return cmd_find(argv[0]);
}

static bool is_noun(const char *word)
{
	size_t n = strlen(word);
	for (size_t i = 0; i < cmd_table_len; i++)
		if (strncmp(cmd_table[i].name, word, n) == 0 && cmd_table[i].name[n] == '.')
			return true;
	return false;
}

static bool wants_help(int argc, char **argv)
{
	for (int i = 0; i < argc; i++)
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
			return true;
	return false;
}

/* "adfctl: conflict: ...", then one line per detail ("line 3: ..."). */
static void print_error(json_t *err)
{
	char text[600];
	fprintf(stderr, _("adfctl: %s: %s\n"),
		code_text(json_string_value(json_object_get(err, "code"))),
		error_text(err, text, sizeof text));
	size_t i;
	json_t *d;
	json_array_foreach(json_object_get(err, "details"), i, d)
	{
		json_t *line = json_object_get(d, "line");
		if (json_is_integer(line))
			fprintf(stderr, _("  line %lld: %s\n"), (long long)json_integer_value(line),
				error_text(d, text, sizeof text));
		else
			fprintf(stderr, "  %s\n",
				json_string_value(json_object_get(d, "message")) ?: "");
	}
}

static int run_command(const char *socket_path, const struct cmd_entry *cmd, json_t *args,
		       json_t *local_args, bool json_output)
{
	const char *output = cmd->columns ? cmd->columns : ""; /* how an answer prints */
	struct conn c;
	if (conn_open(&c, socket_path) < 0) {
		json_decref(args);
		return EXIT_NO_DAEMON;
	}
	json_t *req = proto_request(1, cmd->name, args);
	char *text = json_dumps(req, JSON_COMPACT);
	json_decref(req);
	int rc = EXIT_NO_DAEMON;
	int send_rc = text ? conn_send(&c, text, strlen(text)) : -1;
	if (send_rc == 0)
		send_rc = conn_send(&c, "\n", 1);
	/* cut off while sending: adfd answered why before it closed */
	bool sent = send_rc == 0 || send_rc == -2;
	free(text);
	/* a long answer comes in chunks, each printed as it arrives */
	for (bool more = sent; more;) {
		struct proto_answer answer;
		rc = conn_receive(&c, &answer);
		if (rc != EXIT_OK)
			break;
		more = answer.more;
		if (answer.ok) {
			json_t *data = answer.data;
			bool in = true; /* at the door: the person is in */
			if (json_output) {
				json_dumpf(data, stdout, JSON_INDENT(2) | JSON_ENCODE_ANY);
				putchar('\n');
				const char *outcome = json_str(data, "outcome");
				in = !outcome || !strcmp(outcome, "checked_in") ||
				     !strcmp(outcome, "already");
			} else if (!strcmp(output, "=checkin")) {
				in = door_print(stdout, data, false);
			} else if (!strcmp(output, "=pdf") || (!strcmp(output, "=restitution") &&
							       !json_str(data, "content"))) {
				in = print_document(cmd, data, local_args) == 0;
			} else if (!strcmp(output, "=restitution")) {
				fputs(json_str(data, "content"), stdout);
			} else {
				output_human(stdout, cmd, data);
			}
			/* an import that skipped bad rows did not do all it was asked */
			rc = json_array_size(json_object_get(data, "skipped")) > 0 ? EXIT_PARTIAL
			     : in						   ? EXIT_OK
										   : EXIT_REFUSED;
		} else {
			/* a script reads the error as it came: code, English message,
			 * format and values */
			if (json_output) {
				json_dumpf(answer.error, stdout, JSON_INDENT(2));
				putchar('\n');
			}
			print_error(answer.error);
			rc = EXIT_REFUSED;
		}
		proto_answer_free(&answer);
	}
	conn_close(&c);
	return rc;
}

int main(int argc, char **argv)
{
	static const struct option options[] = {
	    {"socket", required_argument, NULL, 's'},
	    {"json", no_argument, NULL, 'j'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	const char *socket_path = NULL;
	bool json_output = false;
	words_init();
	int opt;
	/* '+': options after the command belong to the command. */
	while ((opt = getopt_long(argc, argv, "+s:jh", options, NULL)) != -1) {
		switch (opt) {
		case 's':
			socket_path = optarg;
			break;
		case 'j':
			json_output = true;
			break;
		case 'h':
			help_all(stdout, NULL);
			return EXIT_OK;
		default:
			help_all(stderr, NULL);
			return EXIT_USAGE;
		}
	}
	argc -= optind;
	argv += optind;
	if (!socket_path)
		socket_path = conn_default_path();
	if (argc == 0) {
		help_all(stderr, NULL);
		return EXIT_USAGE;
	}
	if (strcmp(argv[0], "help") == 0) {
		if (argc > 1 && !is_noun(argv[1]) && !cmd_find(argv[1])) {
			fprintf(stderr, _("adfctl: unknown command \"%s\" (see adfctl help)\n"),
				argv[1]);
			return EXIT_USAGE;
		}
		help_all(stdout, argc > 1 ? argv[1] : NULL);
		return EXIT_OK;
	}
	if (strcmp(argv[0], "version") == 0) {
		printf(_("adfctl %s (protocol %d)\n"), PACKAGE_VERSION, ADF_PROTO_VERSION);
		return EXIT_OK;
	}
	if (strcmp(argv[0], "batch") == 0) {
		struct conn c;
		if (conn_open(&c, socket_path) < 0)
			return EXIT_NO_DAEMON;
		int rc = conn_batch(&c, stdin, stdout);
		conn_close(&c);
		return rc;
	}

	/* --json may also follow the command. */
	int kept = 0;
	for (int i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--json") == 0 || strcmp(argv[i], "-j") == 0)
			json_output = true;
		else
			argv[kept++] = argv[i];
	}
	argc = kept;

	int used;
	const struct cmd_entry *cmd = find_command(argc, argv, &used);
	if (!cmd) {
		if (is_noun(argv[0])) {
			if (!wants_help(argc, argv))
				fprintf(stderr, _("adfctl: %s: unknown verb%s%s\n\n"), argv[0],
					argc > 1 ? " " : "", argc > 1 ? argv[1] : "");
			help_all(wants_help(argc, argv) ? stdout : stderr, argv[0]);
			return wants_help(argc, argv) ? EXIT_OK : EXIT_USAGE;
		}
		fprintf(stderr, _("adfctl: unknown command \"%s\" (see adfctl help)\n"), argv[0]);
		return EXIT_USAGE;
	}
	if (wants_help(argc - used, argv + used)) {
		help_command(stdout, cmd);
		return EXIT_OK;
	}
	json_t *args;
	if (args_parse(cmd, argc - used, argv + used, &args) < 0)
		return EXIT_USAGE;
	if (json_is_true(json_object_get(args, "scan")) && json_object_get(args, "code")) {
		fprintf(stderr,
			_("adfctl: %s: --scan reads the codes from standard input: give "
			  "none after the Atelier\n"),
			cmd->name);
		json_decref(args);
		return EXIT_USAGE;
	}
	if (json_is_true(json_object_get(args, "scan"))) {
		int rc = door_scan(socket_path, args, stdin, stdout);
		json_decref(args);
		return rc;
	}
	const char *output = cmd->columns ? cmd->columns : "";
	if (!strcmp(output, "=watch"))
		return watch_run(socket_path, cmd, args, json_output);
	/* a PDF is no text for a terminal */
	bool pdf = !strcmp(output, "=pdf") || !strcmp(json_str(args, "format") ?: "", "pdf");
	if (pdf && !json_output && isatty(1)) {
		char words[64];
		snprintf(words, sizeof words, "%s", cmd->name);
		*strchr(words, '.') = ' ';
		fprintf(stderr, _("adfctl: %s writes a PDF: send it to a file (> %s.pdf)\n"), words,
			strchr(cmd->name, '.') + 1);
		json_decref(args);
		return EXIT_USAGE;
	}
	/* adfctl's own options change what it does; adfd never hears of them */
	json_t *local_args = json_object();
	for (const struct cmd_arg *a = cmd->args; a->name; a++)
		if (a->flags & ARG_LOCAL) {
			json_t *v = json_object_get(args, a->name);
			if (v)
				json_object_set(local_args, a->name, v);
			json_object_del(args, a->name);
		}
	int rc = run_command(socket_path, cmd, args, local_args, json_output);
	json_decref(local_args);
	return rc;
}
