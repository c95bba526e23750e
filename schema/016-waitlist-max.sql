-- An Atelier may bound its waiting list: past that many waiting, a
-- registration is refused (NULL: no bound).
ALTER TABLE atelier ADD COLUMN waitlist_max INTEGER CHECK (waitlist_max >= 0);
