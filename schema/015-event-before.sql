-- A change notice says what the Atelier was before: the day, time and
-- place it had when the change was recorded (the domain writes them).
ALTER TABLE atelier_event ADD COLUMN was_when_fr TEXT;
ALTER TABLE atelier_event ADD COLUMN was_place TEXT;
