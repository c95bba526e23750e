-- The survey keeps no time on either side: on a day with one answer, the
-- day named its author (who answered that day, what was answered that
-- day). Tables rebuilt without answered_on; the answers' order is shuffled
-- at each new answer (survey.c), and an Atelier's results show from five
-- answers.
CREATE TABLE survey_done_new (
	registration_id INTEGER PRIMARY KEY REFERENCES registration(id)
) STRICT;
INSERT INTO survey_done_new (registration_id) SELECT registration_id FROM survey_done;
DROP TABLE survey_done;
ALTER TABLE survey_done_new RENAME TO survey_done;

CREATE TABLE survey_answer_new (
	id INTEGER PRIMARY KEY,
	atelier_id INTEGER NOT NULL REFERENCES atelier(id),
	contenu INTEGER NOT NULL CHECK (contenu BETWEEN 1 AND 5),
	intervenants INTEGER NOT NULL CHECK (intervenants BETWEEN 1 AND 5),
	organisation INTEGER NOT NULL CHECK (organisation BETWEEN 1 AND 5),
	utilite INTEGER NOT NULL CHECK (utilite BETWEEN 1 AND 5),
	comment TEXT
) STRICT;
INSERT INTO survey_answer_new (id, atelier_id, contenu, intervenants, organisation, utilite,
	comment)
	SELECT id, atelier_id, contenu, intervenants, organisation, utilite, comment
	FROM survey_answer ORDER BY random();
DROP TABLE survey_answer;
ALTER TABLE survey_answer_new RENAME TO survey_answer;
CREATE INDEX survey_answer_atelier ON survey_answer(atelier_id);
