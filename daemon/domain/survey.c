/* The satisfaction survey after an Atelier. Who answered and what was
 * answered are two tables with no link between them: the results cannot
 * be traced back to a person, and one answer per registration still holds. */
#include "config.h"

#include <string.h>

#include "db.h"
#include "survey.h"
#include "text.h"
#include "work.h"

const char *const survey_keys[SURVEY_QUESTIONS] = {"contenu", "intervenants", "organisation",
						   "utilite"};
const char *const survey_questions_fr[SURVEY_QUESTIONS] = {
    "L'intérêt des thèmes et des bonnes pratiques présentés",
    "La qualité des interventions et des échanges",
    "L'organisation et l'accueil",
    "L'utilité pour votre action ou votre territoire",
};

const char *const survey_json_keys[SURVEY_QUESTIONS] = {"themes", "speakers", "welcome",
							"usefulness"};

const char *survey_closed_fr(struct work *w, json_t *reg, json_t *atelier)
{
	if (!strcmp(json_str(atelier, "status"), "cancelled"))
		return "Cet Atelier a été annulé : il n'a pas de questionnaire.";
	if (strcmp(json_str(reg, "status"), "attended") != 0)
		return "Ce questionnaire est réservé aux personnes venues à l'Atelier.";
	long long done =
	    db_scalar(w->db, &w->err, "SELECT count(*) FROM survey_done WHERE registration_id = ?",
		      "I", json_int(reg, "id"));
	if (done != 0)
		return done < 0 ? "Le questionnaire est indisponible pour le moment."
				: "Vous avez déjà répondu : merci de votre avis !";
	return NULL;
}

int survey_answer(struct work *w, json_t *reg, json_t *atelier, const int scores[SURVEY_QUESTIONS],
		  const char *comment)
{
	const char *closed = survey_closed_fr(w, reg, atelier);
	if (closed)
		return work_fail(w, ADF_E_CONFLICT, "%s", closed);
	for (int i = 0; i < SURVEY_QUESTIONS; i++)
		if (scores[i] < 1 || scores[i] > 5)
			return work_fail(w, ADF_E_BAD_REQUEST, "%s: a score from 1 to 5",
					 survey_keys[i]);
	long long aid = json_int(atelier, "id");
	snprintf(w->target, sizeof w->target, "atelier:%lld", aid);
	if (db_exec(w->db, &w->err, "INSERT INTO survey_done (registration_id) VALUES (?)", "I",
		    json_int(reg, "id")) < 0 ||
	    db_exec(w->db, &w->err,
		    /* a random id: the order of the ids tells nothing of who
		     * answered when (a proxy's log holds the POSTs' times) */
		    "INSERT INTO survey_answer (id, atelier_id, contenu, intervenants,"
		    " organisation, utilite, comment)"
		    " VALUES (abs(random() % 9000000000000000) + 1, ?, ?, ?, ?, ?, ?)",
		    "Iiiiis", aid, scores[0], scores[1], scores[2], scores[3],
		    comment && *comment ? comment : NULL) < 0)
		return -1;
	/* sqlite lays rows out in a page in the order they were written: the
	 * Atelier's answers are written again in a random order, the old
	 * cells zeroed (secure_delete) and the WAL's copies truncated after
	 * the commit (WORK_SCRUBBED), so the file says nothing of the order
	 * they came in */
	if (db_exec(w->db, &w->err,
		    "CREATE TEMP TABLE IF NOT EXISTS survey_shuffle AS"
		    " SELECT * FROM survey_answer WHERE 0",
		    "") < 0 ||
	    db_exec(w->db, &w->err,
		    "INSERT INTO temp.survey_shuffle SELECT * FROM survey_answer"
		    " WHERE atelier_id = ?",
		    "I", aid) < 0 ||
	    db_exec(w->db, &w->err, "DELETE FROM survey_answer WHERE atelier_id = ?", "I", aid) <
		0 ||
	    db_exec(w->db, &w->err,
		    "INSERT INTO survey_answer SELECT * FROM temp.survey_shuffle ORDER BY random()",
		    "") < 0 ||
	    db_exec(w->db, &w->err, "DELETE FROM temp.survey_shuffle", "") < 0)
		return -1;
	w->events |= WORK_SCRUBBED;
	return 0;
}

json_t *survey_results(struct work *w, long long atelier, bool with_comments)
{
	json_t *row = db_row(w->db,
			     db_query(w->db, &w->err,
				      "SELECT count(*) AS answers, avg(contenu) AS contenu,"
				      " avg(intervenants) AS intervenants,"
				      " avg(organisation) AS organisation, avg(utilite) AS utilite"
				      " FROM survey_answer WHERE atelier_id = ?",
				      "I", atelier),
			     &w->err);
	if (!row)
		return NULL;
	json_t *averages = json_object();
	for (int i = 0; i < SURVEY_QUESTIONS; i++) {
		json_t *v = json_object_get(row, survey_keys[i]);
		json_object_set_new(averages, survey_json_keys[i],
				    json_is_number(v) ? json_real(json_number_value(v))
						      : json_null());
	}
	long long answers = json_int(row, "answers");
	/* too few answers name their authors: counted into the cycle's only */
	bool withheld = answers > 0 && answers < SURVEY_MIN_ANSWERS;
	if (withheld)
		for (int i = 0; i < SURVEY_QUESTIONS; i++)
			json_object_set_new(averages, survey_json_keys[i], json_null());
	json_t *results = json_pack("{s:I,s:o,s:b}", "answers", (json_int_t)answers, "averages",
				    averages, "withheld", withheld);
	json_decref(row);
	if (with_comments && withheld)
		json_object_set_new(results, "comments", json_array());
	else if (with_comments) {
		json_t *comments =
		    db_rows_json(w->db,
				 db_query(w->db, &w->err,
					  "SELECT comment FROM survey_answer WHERE atelier_id = ?"
					  " AND comment IS NOT NULL ORDER BY id",
					  "I", atelier),
				 &w->err);
		if (!comments) {
			json_decref(results);
			return NULL;
		}
		json_t *texts = json_array();
		size_t i;
		json_t *c;
		json_array_foreach(comments, i, c)
		    json_array_append(texts, json_object_get(c, "comment"));
		json_decref(comments);
		json_object_set_new(results, "comments", texts);
	}
	return results;
}
