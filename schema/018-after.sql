-- Mails after the Atelier: a rule may count from its end (after_end), to
-- those who came (attendees), those registered who did not (noshows), its
-- speakers.
ALTER TABLE reminder_rule ADD COLUMN after_end INTEGER NOT NULL DEFAULT 0
	CHECK (after_end IN (0, 1));
