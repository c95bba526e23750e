-- A person's first name and surname apart: a French sheet reads "NOM
-- Prénom" and sorts by surname ("Le Goff" under L, "de La Fontaine" under
-- L), which one field typed "Prénom Nom" cannot say. Rows made before are
-- split by adfd at start (registration_names_backfill, common/text.c's
-- rule), since SQL cannot say where a surname begins.
ALTER TABLE registration ADD COLUMN first_name TEXT;
ALTER TABLE registration ADD COLUMN last_name TEXT;
