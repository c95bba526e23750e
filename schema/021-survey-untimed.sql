-- The survey keeps no time on either side: on a day with one answer, the
-- day named its author (who answered that day, what was answered that
-- day). The answers already given are written again in a random order
-- (sqlite keeps rows in a page in the order they were written; survey.c
-- does the same at each new answer), and an Atelier's results show from
-- five answers.
ALTER TABLE survey_done DROP COLUMN answered_on;
ALTER TABLE survey_answer DROP COLUMN answered_on;
CREATE TEMP TABLE survey_reordered AS SELECT * FROM survey_answer;
DELETE FROM survey_answer;
INSERT INTO survey_answer SELECT * FROM temp.survey_reordered ORDER BY random();
DROP TABLE temp.survey_reordered;
