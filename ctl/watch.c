/* adfctl watch: a live view of an Atelier's day. adfd sends a new view
 * each time something changes; adfctl draws it, on a terminal in place,
 * elsewhere one block after another (or one JSON line each). */
#include "config.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "date.h"
#include "text.h"

#include "ctl.h"
#include "i18n.h"

#define BAR 30 /* characters of the filling bar */

static volatile sig_atomic_t on_screen;

/* Ctrl-C leaves: below the last view, nothing of the terminal changed. */
static void on_interrupt(int sig)
{
	(void)sig;
	if (on_screen)
		(void)!write(1, "\n", 1);
	_exit(EXIT_OK);
}

static void bar(FILE *out, long long part, long long whole)
{
	int filled = whole > 0 ? (int)(part * BAR / whole) : 0;
	if (filled > BAR)
		filled = BAR;
	fputs("  [", out);
	for (int i = 0; i < BAR; i++)
		fputs(i < filled ? "#" : ".", out);
	fputs("]", out);
}

static void draw(FILE *out, json_t *view, bool screen)
{
	json_t *a = json_object_get(view, "atelier"), *r = json_object_get(view, "registrations"),
	       *mail = json_object_get(view, "mail");
	char hour[32], day[64];
	long long capacity = json_int(r, "capacity"), attended = json_int(r, "attended"),
		  expected = json_int(r, "confirmed") + attended;
	/* TRANSLATORS: "fr" makes the day read "mardi 1er décembre 2026, 14 h 28" */
	if (!strcmp(_("en"), "fr"))
		snprintf(day, sizeof day, "%s", json_str(a, "when_fr") ?: "");
	else
		snprintf(day, sizeof day, "%s %s", json_str(a, "date") ?: "",
			 json_str(a, "time") ?: "");
	if (screen)
		fputs("\033[H\033[2J", out);
	fprintf(out, _("Atelier %lld — %s\n"), json_int(a, "id"), json_str(a, "title") ?: "");
	fprintf(out, "%s, %s", day, json_str(a, "city") ?: "");
	if (!strcmp(json_str(a, "status") ?: "", "cancelled"))
		fprintf(out, " — %s", _("CANCELLED"));
	fprintf(out, _("   (updated at %s)\n\n"),
		hour_text(json_str(view, "at"), hour, sizeof hour));
	fprintf(out, _("Checked in     %6lld of %lld expected"), attended, expected);
	bar(out, attended, expected);
	fputc('\n', out);
	fprintf(out, _("Registered     %6lld for %lld seats"), expected, capacity);
	bar(out, expected, capacity);
	fputc('\n', out);
	fprintf(out, _("Seats left     %6lld\n"), json_int(r, "seats_left"));
	fprintf(out, _("Waiting list   %6lld\n"), json_int(r, "waitlisted"));
	fprintf(out, _("Cancelled      %6lld\n"), json_int(r, "cancelled"));
	fprintf(out, _("Mail           %6lld pending, %lld failed, %lld sent\n"),
		json_int(mail, "pending"), json_int(mail, "failed"), json_int(mail, "sent"));
	json_t *recent = json_object_get(view, "recent");
	if (json_array_size(recent) > 0)
		fprintf(out, _("\nLast in:\n"));
	size_t i;
	json_t *p;
	json_array_foreach(recent, i, p)
	{
		char when[32];
		hour_text(json_str(p, "attended_at"), when, sizeof when);
		const char *civ = json_str(p, "civility"), *org = json_str(p, "organisation");
		fprintf(out, "  %s  %s%s%s%s%s\n", when, civ ? civ : "", civ ? " " : "",
			json_str(p, "name") ?: "", org ? " — " : "", org ? org : "");
	}
	if (!screen)
		fputs("\n", out);
	fflush(out);
}

int watch_run(const char *socket_path, const struct cmd_entry *cmd, json_t *args, bool json_output)
{
	struct conn c;
	if (conn_open(&c, socket_path) < 0) {
		json_decref(args);
		return EXIT_NO_DAEMON;
	}
	const char *term = getenv("TERM");
	bool screen = !json_output && isatty(1) && term && strcmp(term, "dumb") != 0;
	on_screen = screen;
	struct sigaction sa = {.sa_handler = on_interrupt};
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	struct proto_answer a;
	int rc = conn_call(&c, cmd->name, args, &a);
	for (bool first = true; rc == EXIT_OK; first = false) {
		if (!a.ok) {
			char text[600];
			fprintf(stderr, _("adfctl: %s: %s\n"), code_text(json_str(a.error, "code")),
				error_text(a.error, text, sizeof text));
			rc = EXIT_REFUSED;
		} else if (!a.more) {
			/* adfd ends the watch only when it stops */
			fprintf(stderr, _("adfctl: adfd ended the watch (stopping?)\n"));
			rc = EXIT_NO_DAEMON;
		} else if (!first) {
			if (json_output) {
				json_dumpf(a.data, stdout, JSON_COMPACT);
				putchar('\n');
				fflush(stdout);
			} else {
				draw(stdout, a.data, screen);
			}
		}
		proto_answer_free(&a);
		if (rc == EXIT_OK)
			rc = conn_receive(&c, &a);
	}
	conn_close(&c);
	return rc;
}
