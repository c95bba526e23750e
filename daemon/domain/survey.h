/* The satisfaction survey after an Atelier: a few questions on a 1-5
 * scale and a free comment, one answer per registration, anonymous in the
 * results. */
#ifndef ADF_SURVEY_H
#define ADF_SURVEY_H

#include <jansson.h>
#include <stdbool.h>

struct work;

#define SURVEY_QUESTIONS 4
/* An Atelier's results show from this many answers (below, the cycle's
 * totals count them): one or two answers would name their authors. */
#define SURVEY_MIN_ANSWERS 5
#define SURVEY_COMMENT_MAX 2000

/* The questions: their keys (the columns and the form's fields), their
 * names in answers (averages), and their French wording. */
extern const char *const survey_keys[SURVEY_QUESTIONS];
extern const char *const survey_json_keys[SURVEY_QUESTIONS];
extern const char *const survey_questions_fr[SURVEY_QUESTIONS];

/* Why a registration may not answer (NULL: it may): in French, for the
 * site's page. */
const char *survey_closed_fr(struct work *w, json_t *reg, json_t *atelier);
/* Records one answer of registration reg (scores 1..5); refused if it
 * answered already or may not. */
int survey_answer(struct work *w, json_t *reg, json_t *atelier, const int scores[SURVEY_QUESTIONS],
		  const char *comment);
/* {answers, averages: {key: mean}, comments: [...]}: anonymous. */
json_t *survey_results(struct work *w, long long atelier, bool with_comments);

#endif
