/* adfctl's words in the user's language: the catalogue, the error codes,
 * and the daemon's errors rewritten from their templates (never by
 * parsing an English message). */
#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ctl.h"
#include "date.h"

/* The catalogue folder: $ADF_LOCALEDIR, else the one of the build this
 * adfctl was made in (po/locale beside the program: `./dev run` users run
 * build/adfctl, never installed), else the installed one. */
static const char *catalogue_dir(char *buf, size_t n)
{
	const char *dir = getenv("ADF_LOCALEDIR");
	if (dir && *dir)
		return dir;
	return beside_adfctl("po/locale", R_OK | X_OK, buf, n) ? buf : LOCALEDIR;
}

void words_init(void)
{
	setlocale(LC_ALL, "");
	/* the Ateliers' times are Paris times, wherever adfctl runs */
	setenv("TZ", "Europe/Paris", 1);
	tzset();
	char build_dir[4096 + 16];
	bindtextdomain(PACKAGE, catalogue_dir(build_dir, sizeof build_dir));
	bind_textdomain_codeset(PACKAGE, "UTF-8");
	textdomain(PACKAGE);
}

const char *code_text(const char *code)
{
	static const char *const names[] = {
	    /* TRANSLATORS: the error codes of the protocol, as adfctl prints them */
	    N_("bad_request"), N_("not_found"),	  N_("conflict"), N_("full"),
	    N_("forbidden"),   N_("unavailable"), N_("internal"),
	};
	for (size_t i = 0; code && i < sizeof names / sizeof names[0]; i++)
		if (!strcmp(code, names[i]))
			return _(names[i]);
	return code ? code : _("error");
}

/* TRANSLATORS: statuses and states, as people read them in a table */
static const char *const statuses[] = {
    NC_("status", "draft"),
    NC_("status", "scheduled"),
    NC_("status", "held"),
    NC_("status", "cancelled"),
    NC_("status", "confirmed"),
    NC_("status", "waitlisted"),
    NC_("status", "attended"),
    NC_("status", "pending"),
    NC_("status", "sending"),
    NC_("status", "sent"),
    NC_("status", "failed"),
    NC_("status", "skipped"),
    NC_("status", "gap"),
    NC_("status", "conflict"),
    NC_("status", "admin"),
    NC_("status", "read"),
    NC_("status", "promoted"),
    NC_("status", "again"),
    NC_("status", "moved"),
    NC_("status", "reopened"),
    NC_("status", "reminder"),
    NC_("status", "test"),
    NC_("status", "atelier-cancelled"),
    NC_("status", "atelier-reopened"),
    NC_("status", "ok"),
    NC_("status", "configured"),
    NC_("status", "own"),
    NC_("status", "registrants"),
    NC_("status", "speakers"),
    NC_("status", "attendees"),
    NC_("status", "noshows"),
    NC_("status", "door"),
    NC_("status", "web"),
    NC_("status", "adfctl"),
    NC_("status", "import"),
};

const char *category_word(const char *code)
{
	/* TRANSLATORS: a category of participants, as a table shows it */
	static const char *const names[][2] = {
	    {"elu", NC_("category", "elected")},	{"agent", NC_("category", "agent")},
	    {"partenaire", NC_("category", "partner")}, {"presse", NC_("category", "press")},
	    {"entreprise", NC_("category", "company")}, {"public", NC_("category", "public")},
	};
	for (size_t i = 0; code && i < sizeof names / sizeof names[0]; i++)
		if (!strcmp(code, names[i][0]))
			return C_(names[i][1]);
	return NULL;
}

const char *status_text(const char *word)
{
	for (size_t i = 0; word && i < sizeof statuses / sizeof statuses[0]; i++)
		if (!strcmp(word, strchr(statuses[i], '\004') + 1))
			return C_(statuses[i]);
	return NULL;
}

/* A value of a template as people read it: a status as a word, a day
 * ("2026-12-03") or a month ("2027-02") the French way when French. */
static const char *value_text(const char *v, char *out, size_t n)
{
	int y, m, d;
	if (v && status_text(v))
		return status_text(v);
	if (!v || strcmp(_("en"), "fr") != 0)
		return v;
	if (strlen(v) == 10 && date_parse(v, &y, &m, &d)) {
		date_fr(out, n, y, m, d);
		return out;
	}
	if (strlen(v) == 7 && month_fr(out, n, v))
		return out;
	return v;
}

/* A template is used only when the catalogue translates it: the values
 * fill the translation's conversions, by order or by position. */
const char *error_text(json_t *error, char *out, size_t n)
{
	const char *format = json_string_value(json_object_get(error, "format"));
	const char *message = json_string_value(json_object_get(error, "message"));
	json_t *values = json_object_get(error, "values");
	const char *translated = format ? _(format) : NULL;
	if (!translated || translated == format || !json_is_array(values) ||
	    json_array_size(values) > 16)
		return message ? message : _("refused");
	const char *texts[16];
	char dates[16][80];
	size_t i;
	json_t *v;
	json_array_foreach(values, i, v) texts[i] =
	    value_text(json_string_value(v), dates[i], sizeof dates[i]);
	adf_fill(out, n, translated, texts, (int)json_array_size(values));
	return out;
}

const char *error_text_local(const struct adf_error *err, char *out, size_t n)
{
	const char *translated = err->format ? _(err->format) : NULL;
	if (!translated || translated == err->format)
		return err->message;
	const char *texts[ADF_ERROR_VALUES];
	for (int i = 0; i < err->nvalues; i++)
		texts[i] = err->values[i];
	adf_fill(out, n, translated, texts, err->nvalues);
	return out;
}

const char *note_text(json_t *row, char *out, size_t n)
{
	json_t *note = json_pack("{s:O?,s:O?,s:O?}", "message", json_object_get(row, "note"),
				 "format", json_object_get(row, "note_format"), "values",
				 json_object_get(row, "note_values"));
	const char *text = error_text(note, out, n);
	if (text != out)
		snprintf(out, n, "%s", text ? text : "");
	json_decref(note);
	return out;
}

const char *outcome_text(const char *s, char *out, size_t n)
{
	/* what a reminder's moment did ("queued: 3"), or an audit entry's
	 * outcome (an error code) */
	static const char *const moments[] = {
	    N_("queued:"),
	    N_("skipped, the Atelier had begun:"),
	    N_("not due while the Atelier existed:"),
	    N_("not due while the Atelier had its own rules only:"),
	    N_("switched off for this Atelier:"),
	    N_("skipped, due days ago:"),
	};
	for (size_t i = 0; s && i < sizeof moments / sizeof moments[0]; i++) {
		size_t len = strlen(moments[i]);
		if (!strncmp(s, moments[i], len)) {
			snprintf(out, n, "%s%s", _(moments[i]), s + len);
			return out;
		}
	}
	if (s && status_text(s))
		return status_text(s);
	return code_text(s);
}
