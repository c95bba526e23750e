/* The restitution of a cycle: its data, and the data as an HTML page that
 * prints well. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "atelier.h"
#include "db.h"
#include "restitution.h"
#include "session.h"
#include "stats.h"
#include "survey.h"
#include "text.h"
#include "work.h"

/* One Atelier as the restitution tells it. */
static json_t *atelier_part(struct work *w, json_t *a)
{
	long long id = json_int(a, "id");
	json_t *stats = stats_atelier(w, id);
	json_t *survey = stats ? survey_results(w, id, true) : NULL;
	json_t *sessions = survey ? session_list_json(w, id) : NULL;
	json_t *practices = sessions
				? db_rows_json(w->db,
					       db_query(w->db, &w->err,
							"SELECT title, theme, summary FROM practice"
							" WHERE atelier_id = ? ORDER BY id",
							"I", id),
					       &w->err)
				: NULL;
	json_t *part = NULL;
	if (practices) {
		json_object_del(stats, "survey");
		part = json_pack(
		    "{s:O,s:O?,s:O?,s:O?,s:O?,s:O?,s:O?,s:O?,s:O?,s:O,s:O,s:O,s:O}", "id",
		    json_object_get(a, "id"), "edition_fr", json_object_get(a, "edition_fr"),
		    "date", json_object_get(a, "date"), "when_fr", json_object_get(a, "when_fr"),
		    "departement", json_object_get(a, "departement"), "departement_name",
		    json_object_get(a, "departement_name"), "city", json_object_get(a, "city"),
		    "venue", json_object_get(a, "venue"), "title", json_object_get(a, "title"),
		    "attendance", stats, "survey", survey, "sessions", sessions, "practices",
		    practices);
	}
	json_decref(stats);
	json_decref(survey);
	json_decref(sessions);
	json_decref(practices);
	return part;
}

json_t *restitution_data(struct work *w, long long cycle_id)
{
	json_t *cycle = work_row(w,
				 db_query(w->db, &w->err,
					  "SELECT id, name, first_month, last_month FROM cycle"
					  " WHERE id = ?",
					  "I", cycle_id),
				 "no cycle %lld", cycle_id);
	json_t *key = cycle ? json_integer(cycle_id) : NULL;
	json_t *ateliers = key ? atelier_list_json(w, key, NULL, NULL) : NULL;
	json_decref(key);
	json_t *bilan = ateliers ? stats_cycle(w, cycle_id) : NULL;
	json_t *parts = json_array();
	size_t i;
	json_t *a;
	int rc = bilan ? 0 : -1;
	json_array_foreach(ateliers, i, a)
	{
		/* a restitution tells the Ateliers that were announced */
		const char *status = json_str(a, "status");
		if (rc < 0 || !strcmp(status, "draft") || !strcmp(status, "cancelled"))
			continue;
		json_t *part = atelier_part(w, a);
		if (!part)
			rc = -1;
		else
			json_array_append_new(parts, part);
	}
	json_t *survey =
	    rc == 0
		? db_row(w->db,
			 db_query(w->db, &w->err,
				  "SELECT count(*) AS answers, avg(s.contenu) AS contenu,"
				  " avg(s.intervenants) AS intervenants,"
				  " avg(s.organisation) AS organisation, avg(s.utilite) AS utilite"
				  " FROM survey_answer s JOIN atelier a ON a.id = s.atelier_id"
				  " WHERE a.cycle_id = ? AND a.status IN ('scheduled', 'held')",
				  "I", cycle_id),
			 &w->err)
		: NULL;
	json_t *data = NULL;
	if (survey) {
		/* the same shape as an Atelier's: {answers, averages} */
		json_t *averages = json_object();
		for (int q = 0; q < SURVEY_QUESTIONS; q++) {
			json_t *v = json_object_get(survey, survey_keys[q]);
			json_object_set_new(averages, survey_json_keys[q],
					    json_is_number(v) ? json_real(json_number_value(v))
							      : json_null());
		}
		json_t *shaped =
		    json_pack("{s:I,s:o}", "answers", (json_int_t)json_int(survey, "answers"),
			      "averages", averages);
		json_decref(survey);
		survey = shaped;
		json_t *totals = json_incref(json_object_get(bilan, "total"));
		json_object_set(totals, "by_category", json_object_get(bilan, "by_category"));
		json_object_set_new(totals, "ateliers",
				    json_integer((json_int_t)json_array_size(parts)));
		json_object_set_new(totals, "survey", survey);
		data =
		    json_pack("{s:O,s:O,s:o}", "cycle", cycle, "ateliers", parts, "totals", totals);
	}
	json_decref(cycle);
	json_decref(ateliers);
	json_decref(bilan);
	json_decref(parts);
	return data;
}

static const char *const categories_fr[][2] = {
    {"elu", "Élus"},	  {"agent", "Agents"},		 {"partenaire", "Partenaires"},
    {"presse", "Presse"}, {"entreprise", "Entreprises"}, {"public", "Public"}};

static void html_text(FILE *out, const char *tag, const char *text)
{
	if (!text || !*text)
		return;
	fprintf(out, "<%s>", tag);
	html_write(out, text);
	fprintf(out, "</%.*s>\n", (int)strcspn(tag, " "), tag);
}

static void html_attendance(FILE *out, json_t *att)
{
	long long registered = json_int(att, "confirmed") + json_int(att, "attended"),
		  present = json_int(att, "attended");
	fprintf(out,
		"<p class=\"chiffres\"><strong>%lld</strong> inscrit%s, <strong>%lld</strong> "
		"présent%s",
		registered, registered > 1 ? "s" : "", present, present > 1 ? "s" : "");
	/* who came, by category */
	json_t *cat = json_object_get(att, "by_category");
	bool any = false;
	for (size_t k = 0; k < sizeof categories_fr / sizeof categories_fr[0]; k++) {
		long long n = json_int(json_object_get(cat, categories_fr[k][0]), "attended");
		if (n == 0)
			continue;
		fprintf(out, "%s%s : %lld", any ? ", " : " — ", categories_fr[k][1], n);
		any = true;
	}
	fputs("</p>\n", out);
}

static void html_survey(FILE *out, json_t *survey)
{
	static const char *const short_fr[SURVEY_QUESTIONS] = {"thèmes", "interventions",
							       "organisation", "utilité"};
	long long answers = json_int(survey, "answers");
	if (answers == 0)
		return;
	if (json_is_true(json_object_get(survey, "withheld"))) {
		fprintf(out,
			"<p class=\"avis\">Satisfaction : %lld réponse%s, moins de %d : comptée%s "
			"dans les résultats du cycle seulement, pour que personne ne soit "
			"reconnu.</p>\n",
			answers, answers > 1 ? "s" : "", SURVEY_MIN_ANSWERS,
			answers > 1 ? "s" : "");
		return;
	}
	fprintf(out,
		"<p class=\"avis\">Satisfaction, notes moyennes sur 5 (%lld réponse%s) : ", answers,
		answers > 1 ? "s" : "");
	json_t *avg = json_object_get(survey, "averages");
	for (int q = 0; q < SURVEY_QUESTIONS; q++) {
		json_t *v = json_object_get(avg, survey_json_keys[q]);
		if (json_is_number(v)) {
			/* "4,2": a French decimal */
			char mean[16];
			snprintf(mean, sizeof mean, "%.1f", json_number_value(v));
			char *dot = strchr(mean, '.');
			if (dot)
				*dot = ',';
			fprintf(out, "%s%s %s", q ? " · " : "", short_fr[q], mean);
		}
	}
	fputs("</p>\n", out);
}

char *restitution_html(json_t *data)
{
	char *text = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);
	if (!out)
		return NULL;
	json_t *cycle = json_object_get(data, "cycle");
	fputs("<!DOCTYPE html>\n<html lang=\"fr\">\n<head>\n<meta charset=\"utf-8\">\n<title>"
	      "Restitution : ",
	      out);
	html_write(out, json_str(cycle, "name"));
	fputs("</title>\n<style>\n"
	      "body{font-family:Georgia,serif;max-width:46rem;margin:2rem auto;padding:0 1rem;"
	      "color:#222;line-height:1.45}\n"
	      "header{text-align:center;border-bottom:2px solid #234;margin-bottom:2rem}\n"
	      ".series{letter-spacing:.2em;text-transform:uppercase;font-size:.8rem}\n"
	      "article{margin:2rem 0;break-before:page}\n"
	      "article:first-of-type{break-before:auto}\n"
	      "h2{margin-bottom:.2rem}.lieu{color:#555;margin-top:0}\n"
	      ".pratique{border-left:3px solid #234;padding-left:.8rem;break-inside:avoid}\n"
	      "blockquote{font-style:italic;color:#444;white-space:pre-wrap;"
	      "overflow-wrap:anywhere}\n"
	      "@media print{body{margin:0;max-width:none;font-size:11pt}a{color:inherit}}\n"
	      "</style>\n</head>\n<body>\n<header>\n"
	      "<p class=\"series\">Les Ateliers des Départements de France</p>\n<h1>Restitution : ",
	      out);
	html_write(out, json_str(cycle, "name"));
	json_t *totals = json_object_get(data, "totals");
	long long count = json_int(totals, "ateliers");
	if (count == 0)
		fputs("</h1>\n<p>Aucun Atelier de ce cycle n'a encore été annoncé.</p>\n"
		      "</header>\n<main>\n",
		      out);
	else
		fprintf(out, "</h1>\n<p>%lld Atelier%s</p>\n</header>\n<main>\n", count,
			count > 1 ? "s" : "");
	size_t i, j, k;
	json_t *a, *s, *p;
	json_array_foreach(json_object_get(data, "ateliers"), i, a)
	{
		fputs("<article>\n", out);
		html_text(out, "p class=\"series\"", json_str(a, "edition_fr"));
		char head[300];
		snprintf(head, sizeof head, "%s — %s", json_str(a, "departement_name") ?: "",
			 json_str(a, "title") ?: "");
		html_text(out, "h2", head);
		snprintf(head, sizeof head, "%s, %s, %s", json_str(a, "when_fr") ?: "",
			 json_str(a, "venue") ?: "", json_str(a, "city") ?: "");
		html_text(out, "p class=\"lieu\"", head);
		html_attendance(out, json_object_get(a, "attendance"));
		json_t *survey = json_object_get(a, "survey");
		html_survey(out, survey);
		if (json_array_size(json_object_get(a, "sessions")) > 0)
			fputs("<h3>Le programme</h3>\n<ul>\n", out);
		json_array_foreach(json_object_get(a, "sessions"), j, s)
		{
			fputs("<li>", out);
			html_write(out, json_str(s, "title"));
			const char *speakers = json_str(s, "speakers_fr");
			if (speakers && *speakers) {
				fputs(" — ", out);
				html_write(out, speakers);
			}
			fputs("</li>\n", out);
		}
		if (json_array_size(json_object_get(a, "sessions")) > 0)
			fputs("</ul>\n", out);
		if (json_array_size(json_object_get(a, "practices")) > 0)
			fputs("<h3>Les bonnes pratiques présentées</h3>\n", out);
		json_array_foreach(json_object_get(a, "practices"), k, p)
		{
			fputs("<div class=\"pratique\">\n", out);
			html_text(out, "h4", json_str(p, "title"));
			html_text(out, "p", json_str(p, "summary"));
			fputs("</div>\n", out);
		}
		json_t *comments = json_object_get(survey, "comments");
		json_array_foreach(comments, k, p)
		{
			if (k == 0)
				fputs("<h3>Ce qu'en disent les participants</h3>\n", out);
			html_text(out, "blockquote", json_string_value(p));
		}
		fputs("</article>\n", out);
	}
	fputs("<section>\n<h2>Le cycle en chiffres</h2>\n", out);
	html_attendance(out, totals);
	html_survey(out, json_object_get(totals, "survey"));
	fputs("</section>\n</main>\n</body>\n</html>\n", out);
	fclose(out);
	return text;
}
