-- The satisfaction survey after an Atelier: one answer per registration
-- (survey_done), the answers themselves kept apart with no link to who gave
-- them (survey_answer), and their day only: the results are anonymous.
CREATE TABLE survey_done (
	registration_id INTEGER PRIMARY KEY REFERENCES registration(id),
	answered_on TEXT NOT NULL
) STRICT;

CREATE TABLE survey_answer (
	id INTEGER PRIMARY KEY,
	atelier_id INTEGER NOT NULL REFERENCES atelier(id),
	contenu INTEGER NOT NULL CHECK (contenu BETWEEN 1 AND 5),
	intervenants INTEGER NOT NULL CHECK (intervenants BETWEEN 1 AND 5),
	organisation INTEGER NOT NULL CHECK (organisation BETWEEN 1 AND 5),
	utilite INTEGER NOT NULL CHECK (utilite BETWEEN 1 AND 5),
	comment TEXT,
	answered_on TEXT NOT NULL
) STRICT;
CREATE INDEX survey_answer_atelier ON survey_answer(atelier_id);
