/* Human rendering of an answer's data: tables for lists, "key: value" for
 * one thing. --json prints the same data as it came. */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "date.h"
#include "text.h"

#include "ctl.h"
#include "i18n.h"

#define MAX_WIDTH 40
#define NESTED_COLUMNS                                                                             \
	"line,id,edition,when_fr,departement_name,city,name,title,role,status,message"
/* the rows of a bilan (cycle stats) */
#define STATS_COLUMNS                                                                              \
	"atelier,date,departement_name,city,capacity,seated,attended,waitlisted,fill_rate,"        \
	"attendance_rate"

/* The words of a table for people: a column's name, and the values that
 * are words of the protocol (statuses, states); --json keeps the keys. */
/* TRANSLATORS: the names of the columns and fields adfctl prints (the
 * protocol's keys): say them as an organiser would */
static const char *const labels[] = {
    N_("id"),
    N_("name"),
    N_("title"),
    N_("date"),
    N_("time"),
    N_("end"),
    N_("when_fr"),
    N_("status"),
    N_("state"),
    N_("city"),
    N_("venue"),
    N_("departement"),
    N_("departement_name"),
    N_("region"),
    N_("code"),
    N_("cycle"),
    N_("cycle_name"),
    N_("capacity"),
    N_("edition"),
    N_("edition_fr"),
    N_("created_at"),
    N_("updated_at"),
    N_("starts_at"),
    N_("cancel_reason"),
    N_("sequence"),
    N_("first_month"),
    N_("last_month"),
    N_("ateliers"),
    N_("ateliers_list"),
    N_("month"),
    N_("note"),
    N_("atelier"),
    N_("email"),
    N_("survey"),
    N_("answers"),
    N_("averages"),
    N_("themes"),
    N_("welcome"),
    N_("usefulness"),
    N_("replay_url"),
    N_("slides_url"),
    N_("checkin_code"),
    N_("organisation"),
    N_("category"),
    N_("position"),
    N_("registered_at"),
    N_("attended_at"),
    N_("cancelled_at"),
    N_("anonymised_at"),
    N_("news_consent_at"),
    N_("source"),
    N_("kind"),
    N_("start"),
    N_("speakers_fr"),
    N_("speakers"),
    N_("sessions"),
    N_("role"),
    N_("civility"),
    N_("first_name"),
    N_("last_name"),
    N_("phone"),
    N_("recipient"),
    N_("subject"),
    N_("attempts"),
    N_("next_attempt"),
    N_("last_error"),
    N_("sent_at"),
    N_("message_id"),
    N_("due_at"),
    N_("rule"),
    N_("to"),
    N_("body"),
    N_("offset"),
    N_("disabled"),
    N_("after"),
    N_("if_attendance"),
    N_("withheld"),
    N_("seated"),
    N_("audience"),
    N_("template"),
    N_("outcome"),
    N_("uid"),
    N_("command"),
    N_("target"),
    N_("count"),
    N_("at"),
    N_("severity"),
    N_("message"),
    N_("line"),
    N_("confirmed"),
    N_("waitlisted"),
    N_("attended"),
    N_("cancelled"),
    N_("fill_rate"),
    N_("attendance_rate"),
    N_("total"),
    N_("by_category"),
    N_("registrations"),
    N_("persons"),
    N_("mails"),
    N_("version"),
    N_("protocol"),
    N_("pid"),
    N_("uptime"),
    N_("socket"),
    N_("database"),
    N_("schema"),
    N_("cycles"),
    N_("clients"),
    N_("your_uid"),
    N_("your_role"),
    N_("seats_left"),
    N_("waitlist_max"),
    N_("registered"),
    N_("promoted"),
    N_("file"),
    N_("bytes"),
    N_("config"),
    N_("retried"),
    N_("imported"),
    N_("dry_run"),
    N_("rows"),
    N_("skipped"),
    N_("deleted"),
    N_("already_checked_in"),
    N_("token"),
    N_("cancel_url"),
    N_("events"),
    N_("kind_fr"),
    N_("snippet"),
    N_("rank"),
    N_("theme"),
    N_("summary"),
    N_("session"),
    N_("renumbered"),
    N_("from"),
    N_("registrations_with_personal_data"),
    N_("registrations_anonymised"),
    N_("oldest_atelier_with_personal_data"),
    N_("oldest_registration"),
    N_("persons_with_contact_details"),
    N_("retention_months"),
    N_("mails_with_personal_data"),
    N_("oldest_mail"),
    N_("anonymised_before"),
};

static const char *label(const char *key)
{
	for (size_t i = 0; i < sizeof labels / sizeof labels[0]; i++)
		if (!strcmp(labels[i], key))
			return _(labels[i]);
	return key;
}

/* A value of these columns is a word of the protocol. */
static bool is_word_column(const char *key)
{
	return key &&
	       (!strcmp(key, "status") || !strcmp(key, "state") || !strcmp(key, "severity") ||
		!strcmp(key, "your_role") || !strcmp(key, "kind") || !strcmp(key, "source"));
}

/* Words of the protocol joined by commas ("registrants,speakers"), each
 * as people read it. */
static char *words_text(const char *s)
{
	char copy[256], out[512] = "";
	size_t len = 0;
	snprintf(copy, sizeof copy, "%s", s);
	for (char *save, *w = strtok_r(copy, ",", &save); w && len < sizeof out;
	     w = strtok_r(NULL, ",", &save))
		len += (size_t)snprintf(out + len, sizeof out - len, "%s%s", len ? ", " : "",
					status_text(w) ? status_text(w) : w);
	return strdup(out);
}

/* A delay in seconds as people say it: "7 d", "1 h 30", "15 min", "30 s"
 * ("7 j" in French), never "604 800". */
static char *delay_text(long long seconds)
{
	char buf[64];
	long long days = seconds / 86400, hours = seconds % 86400 / 3600,
		  minutes = seconds % 3600 / 60, rest = seconds % 60;
	if (seconds % 86400 == 0 && days > 0)
		/* TRANSLATORS: a delay in days: "7 j" in French */
		snprintf(buf, sizeof buf, _("%lld d"), days);
	else if (rest == 0 && seconds >= 3600)
		snprintf(buf, sizeof buf, minutes ? "%lld h %02lld" : "%lld h", days * 24 + hours,
			 minutes);
	else if (rest == 0)
		snprintf(buf, sizeof buf, "%lld min", minutes);
	else
		snprintf(buf, sizeof buf, "%lld s", seconds);
	return strdup(buf);
}

/* An instant "2026-12-01T13:28:00Z" as people read it: Paris time,
 * "mardi 1er décembre 2026, 14 h 28" in French. */
bool instant_text(const char *s, char *out, size_t n)
{
	size_t len = strlen(s);
	if (len < 20 || s[4] != '-' || s[10] != 'T' || s[len - 1] != 'Z')
		return false;
	time_t t = (time_t)instant_parse(s);
	struct tm tm;
	if (!t || !localtime_r(&t, &tm))
		return false;
	char date[11], hhmm[6];
	strftime(date, sizeof date, "%Y-%m-%d", &tm);
	strftime(hhmm, sizeof hhmm, "%H:%M", &tm);
	/* TRANSLATORS: "fr" makes times read "mardi 1er décembre 2026, 14 h 28" */
	if (!strcmp(_("en"), "fr"))
		return datetime_fr(out, n, date, hhmm);
	snprintf(out, n, "%s %s", date, hhmm);
	return true;
}

const char *hour_text(const char *instant, char *out, size_t n)
{
	time_t t = instant ? (time_t)instant_parse(instant) : 0;
	struct tm tm;
	if (!t || !localtime_r(&t, &tm))
		return "?";
	/* TRANSLATORS: an hour of the day: %1$d the hour, %2$02d the minutes ("9 h 12") */
	snprintf(out, n, _("%1$02d:%2$02d"), tm.tm_hour, tm.tm_min);
	return out;
}

/* A number that names a thing (an id, a uid, a line), never grouped. */
static bool is_identifier(const char *key)
{
	static const char *const names[] = {
	    "id",	"atelier",  "cycle",	"session", "person",   "registration",
	    "uid",	"your_uid", "pid",	"line",	   "position", "edition",
	    "protocol", "schema",   "sequence", "rank",	   "practice", "code"};
	for (size_t i = 0; key && i < sizeof names / sizeof names[0]; i++)
		if (!strcmp(key, names[i]))
			return true;
	return !key;
}

/* A rate (0..1) as a percentage: "33 %" in French. */
static bool is_rate(const char *key)
{
	size_t n = key ? strlen(key) : 0;
	return n > 5 && !strcmp(key + n - 5, "_rate");
}

/* A scalar of the column key as text; the caller frees. */
static char *scalar_text(json_t *v, const char *key)
{
	if (!v || json_is_null(v))
		return strdup("-");
	if (json_is_string(v)) {
		const char *s = json_string_value(v);
		char when[128];
		if (instant_text(s, when, sizeof when))
			return strdup(when);
		if (is_word_column(key) && status_text(s))
			return strdup(status_text(s));
		if (key && !strcmp(key, "outcome"))
			return strdup(outcome_text(s, when, sizeof when));
		if (key && !strcmp(key, "audience"))
			return words_text(s);
		if (key && !strcmp(key, "category") && category_word(s))
			return strdup(category_word(s));
		return strdup(s);
	}
	if (json_is_number(v) && is_rate(key)) {
		char buf[32];
		/* TRANSLATORS: a percentage; French puts a no-break space before % */
		double rate = json_number_value(v) * 100;
		if (rate > 0 && rate < 1)
			/* TRANSLATORS: a rate below one percent */
			snprintf(buf, sizeof buf, "%s", _("< 1%"));
		else
			snprintf(buf, sizeof buf, _("%.0f%%"), rate);
		return strdup(buf);
	}
	if (json_is_true(v))
		return strdup(_("yes"));
	if (json_is_false(v))
		return strdup(_("no"));
	if (json_is_real(v)) {
		char buf[32];
		snprintf(buf, sizeof buf, "%.2f", json_real_value(v));
		return strdup(buf);
	}
	if (json_is_object(v)) {
		/* a small summary object, e.g. counts by status */
		size_t cap = 256, len = 0;
		char *buf = calloc(1, cap);
		const char *k;
		json_t *sub;
		json_object_foreach(v, k, sub)
		{
			char *t = scalar_text(sub, k);
			/* a column's name if it has one ("attended": present), else a
			 * status ("draft") */
			const char *name = label(k) != k    ? label(k)
					   : status_text(k) ? status_text(k)
							    : k;
			size_t need = strlen(name) + strlen(t) + 3;
			if (len + need >= cap) {
				cap = (len + need) * 2;
				buf = realloc(buf, cap);
			}
			len += (size_t)snprintf(buf + len, cap - len, "%s%s=%s", len ? " " : "",
						name, t);
			free(t);
		}
		return buf;
	}
	if (json_is_integer(v) && key && !strcmp(key, "offset"))
		return delay_text((long long)json_integer_value(v));
	if (json_is_integer(v) && !is_identifier(key)) {
		/* a count grouped as the locale groups it ("1 000 500" in French) */
		char buf[48];
		snprintf(buf, sizeof buf, "%'lld", (long long)json_integer_value(v));
		return strdup(buf);
	}
	return json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);
}

/* Cuts at MAX_WIDTH characters, on a character boundary. */
static void clip(char *s)
{
	size_t n = 0;
	for (char *p = s; *p; p++) {
		if (((unsigned char)*p & 0xC0) != 0x80 && ++n > MAX_WIDTH) {
			strcpy(p, "…");
			return;
		}
	}
}

/* Whether some row has the column: a key missing from the first row (a
 * note, the id of a draft made) may come in later ones. */
static bool any_row_has(json_t *rows, const char *key)
{
	size_t i;
	json_t *row;
	json_array_foreach(rows, i, row) if (json_object_get(row, key)) return true;
	return false;
}

/* The columns to show: those of the spec that some row has, or, without a
 * spec (or when it names at most one of them), every scalar key of the
 * rows in order of appearance. */
static size_t split_columns(const char *spec, json_t *rows, const char **cols, size_t max)
{
	size_t n = 0;
	if (spec) {
		static char copy[512];
		snprintf(copy, sizeof copy, "%s", spec);
		for (char *save, *tok = strtok_r(copy, ",", &save); tok && n < max;
		     tok = strtok_r(NULL, ",", &save))
			if (any_row_has(rows, tok))
				cols[n++] = tok;
		if (n > 1)
			return n;
	}
	n = 0;
	size_t i;
	json_t *row;
	json_array_foreach(rows, i, row)
	{
		const char *k;
		json_t *v;
		json_object_foreach(row, k, v)
		{
			bool known = json_is_array(v);
			for (size_t c = 0; c < n && !known; c++)
				known = !strcmp(cols[c], k);
			if (!known && n < max)
				cols[n++] = k;
		}
	}
	return n;
}

static void print_table(FILE *out, json_t *rows, const char *spec, const char *indent)
{
	if (json_array_size(rows) == 0) {
		fprintf(out, _("%s(none)\n"), indent);
		return;
	}
	const char *cols[32];
	size_t ncols = split_columns(spec, rows, cols, 32);
	size_t nrows = json_array_size(rows);
	char **cells = calloc(nrows * ncols, sizeof *cells);
	size_t widths[32];
	for (size_t c = 0; c < ncols; c++)
		widths[c] = utf8_width(label(cols[c]));
	for (size_t r = 0; r < nrows; r++)
		for (size_t c = 0; c < ncols; c++) {
			json_t *row = json_array_get(rows, r);
			char note[400];
			/* a note, a finding or a bad row: its template in the
			 * user's language */
			char *t = !strcmp(cols[c], "note") && json_object_get(row, "note_format")
				      ? strdup(note_text(row, note, sizeof note))
				  : !strcmp(cols[c], "message") && json_object_get(row, "format")
				      ? strdup(error_text(row, note, sizeof note))
				      : scalar_text(json_object_get(row, cols[c]), cols[c]);
			/* the last column may run long: nothing follows it */
			if (c + 1 < ncols) {
				t = realloc(t, strlen(t) + 4);
				clip(t);
			}
			cells[r * ncols + c] = t;
			if (utf8_width(t) > widths[c])
				widths[c] = utf8_width(t);
		}
	fputs(indent, out);
	for (size_t c = 0; c < ncols; c++) {
		const char *l = label(cols[c]);
		/* %-*s pads bytes; a label's accents take two */
		int pad = c + 1 < ncols ? (int)(widths[c] - utf8_width(l)) : 0;
		fprintf(out, "%s%s%*s", c ? "  " : "", l, pad, "");
	}
	fputc('\n', out);
	for (size_t r = 0; r < nrows; r++) {
		fputs(indent, out);
		for (size_t c = 0; c < ncols; c++) {
			const char *t = cells[r * ncols + c];
			int pad = c + 1 < ncols ? (int)(widths[c] - utf8_width(t)) : 0;
			fprintf(out, "%s%s%*s", c ? "  " : "", t, pad, "");
			free(cells[r * ncols + c]);
		}
		fputc('\n', out);
	}
	free(cells);
}

/* A field people read in another form beside it ("edition" beside "1re
 * édition"): --json keeps both, the human view the readable one. */
static bool said_otherwise(json_t *obj, const char *key)
{
	static const char *const pairs[][2] = {{"name", "last_name"},
					       {"edition", "edition_fr"},
					       {"departement", "departement_name"},
					       {"starts_at", "when_fr"}};
	for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++)
		if (!strcmp(key, pairs[i][0]) && json_is_string(json_object_get(obj, pairs[i][1])))
			return true;
	return false;
}

/* Whether every member of an object is an object: a table's rows by name
 * ("by_category": {"agent": {...}, "elu": {...}}). */
static bool rows_by_name(json_t *obj)
{
	const char *k;
	json_t *v;
	bool any = false;
	json_object_foreach(obj, k, v)
	{
		if (!json_is_object(v))
			return false;
		any = true;
	}
	return any;
}

/* A score out of five, as people read it: "4,2/5" (the locale's decimal
 * point), "-" without answers. */
static bool is_score(const char *key)
{
	static const char *const keys[] = {"themes", "speakers", "welcome", "usefulness"};
	for (size_t i = 0; key && i < sizeof keys / sizeof keys[0]; i++)
		if (!strcmp(key, keys[i]))
			return true;
	return false;
}

/* A field's name as people read it: its column name, else a status
 * ("draft" among the counts of Ateliers by status). */
static const char *key_text(const char *key)
{
	return label(key) != key ? label(key) : status_text(key) ? status_text(key) : key;
}

/* An object as aligned "key  value" lines, then its nested objects as
 * blocks or tables of their own, and its lists as tables, each indented
 * under its name: never "a=b=1 c=2" on one line. */
static void print_object_at(FILE *out, json_t *obj, int indent)
{
	const char *k;
	json_t *v;
	size_t keyw = 0;
	json_object_foreach(obj, k, v)
	{
		if (!json_is_array(v) && !json_is_object(v) && !said_otherwise(obj, k) &&
		    utf8_width(key_text(k)) > keyw)
			keyw = utf8_width(key_text(k));
	}
	json_object_foreach(obj, k, v)
	{
		if (json_is_array(v) || json_is_object(v) || said_otherwise(obj, k))
			continue;
		char *t;
		if (is_score(k) && json_is_number(v)) {
			char score[32];
			snprintf(score, sizeof score, "%.1f/5", json_number_value(v));
			t = strdup(score);
		} else {
			t = scalar_text(v, k);
		}
		fprintf(out, "%*s%s%*s  %s\n", indent, "", key_text(k),
			(int)(keyw + 1 - utf8_width(key_text(k))), "", t);
		free(t);
	}
	json_object_foreach(obj, k, v)
	{
		if (!json_is_object(v))
			continue;
		fprintf(out, "\n%*s", indent, "");
		fprintf(out, _("%s:\n"), key_text(k));
		if (rows_by_name(v)) {
			/* its members become rows, named in a first column */
			json_t *rows = json_array();
			const char *name;
			json_t *member;
			json_object_foreach(v, name, member)
			{
				json_t *row = json_pack(
				    "{s:s}", !strcmp(k, "by_category") ? "category" : "name", name);
				json_object_update(row, member);
				json_array_append_new(rows, row);
			}
			char pad[16];
			snprintf(pad, sizeof pad, "%*s", indent + 2, "");
			print_table(out, rows, NULL, pad);
			json_decref(rows);
		} else {
			print_object_at(out, v, indent + 2);
		}
	}
	json_object_foreach(obj, k, v)
	{
		if (!json_is_array(v))
			continue;
		fprintf(out, "\n%*s", indent, "");
		fprintf(out, _("%s:\n"), key_text(k));
		bool bilan = json_object_get(json_array_get(v, 0), "fill_rate") != NULL;
		char pad[16];
		snprintf(pad, sizeof pad, "%*s", indent + 2, "");
		print_table(out, v, bilan ? STATS_COLUMNS : NESTED_COLUMNS, pad);
	}
}

static void print_object(FILE *out, json_t *obj)
{
	print_object_at(out, obj, 0);
}

/* People read by surname, as a French list has them ("de La Fontaine"
 * under L); --json and paging keep the order of ids. */
static int by_surname(const void *a, const void *b)
{
	json_t *x = *(json_t *const *)a, *y = *(json_t *const *)b;
	char kx[512], ky[512], fx[256], fy[256];
	surname_key(json_str(x, "last_name") ?: json_str(x, "name"), kx, sizeof kx);
	surname_key(json_str(y, "last_name") ?: json_str(y, "name"), ky, sizeof ky);
	int c = strverscmp(kx, ky); /* "Numéro2" before "Numéro10" */
	if (c)
		return c;
	text_fold(json_str(x, "first_name") ?: "", fx, sizeof fx);
	text_fold(json_str(y, "first_name") ?: "", fy, sizeof fy);
	c = strcmp(fx, fy);
	return c ? c
		 : (json_int(x, "id") > json_int(y, "id")) -
		       (json_int(x, "id") < json_int(y, "id"));
}

static json_t *people_by_surname(json_t *rows)
{
	size_t n = json_array_size(rows);
	if (n < 2 || !json_object_get(json_array_get(rows, 0), "last_name"))
		return json_incref(rows);
	json_t **items = malloc(n * sizeof *items);
	if (!items)
		return json_incref(rows);
	for (size_t i = 0; i < n; i++)
		items[i] = json_array_get(rows, i);
	qsort(items, n, sizeof *items, by_surname);
	json_t *sorted = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append(sorted, items[i]);
	free(items);
	return sorted;
}

void output_human(FILE *out, const struct cmd_entry *cmd, json_t *data)
{
	/* "=field": the command returns a document; print it as it is */
	if (cmd->columns && cmd->columns[0] == '=') {
		fputs(json_string_value(json_object_get(data, cmd->columns + 1)) ?: "", out);
		return;
	}
	if (json_is_array(data)) {
		json_t *rows = people_by_surname(data);
		print_table(out, rows, cmd->columns, "");
		json_decref(rows);
	} else if (json_is_object(data))
		print_object(out, data);
	else if (data && !json_is_null(data)) {
		char *t = scalar_text(data, NULL);
		fprintf(out, "%s\n", t);
		free(t);
	}
}
