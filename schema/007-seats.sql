-- Seats taken, kept on the Atelier by triggers: a registration asks
-- whether a seat is free without counting every confirmed registration
-- (which made a large Atelier's registrations cost more one by one).

ALTER TABLE atelier ADD COLUMN seats_taken INTEGER NOT NULL DEFAULT 0;

UPDATE atelier SET seats_taken = (SELECT count(*) FROM registration r
	WHERE r.atelier_id = atelier.id AND r.status IN ('confirmed', 'attended'));

CREATE TRIGGER registration_seat_insert AFTER INSERT ON registration
WHEN NEW.status IN ('confirmed', 'attended')
BEGIN
	UPDATE atelier SET seats_taken = seats_taken + 1 WHERE id = NEW.atelier_id;
END;

CREATE TRIGGER registration_seat_delete AFTER DELETE ON registration
WHEN OLD.status IN ('confirmed', 'attended')
BEGIN
	UPDATE atelier SET seats_taken = seats_taken - 1 WHERE id = OLD.atelier_id;
END;

CREATE TRIGGER registration_seat_update AFTER UPDATE OF status, atelier_id ON registration
WHEN (OLD.status IN ('confirmed', 'attended')) <> (NEW.status IN ('confirmed', 'attended'))
	OR OLD.atelier_id <> NEW.atelier_id
BEGIN
	UPDATE atelier SET seats_taken = seats_taken - 1
		WHERE id = OLD.atelier_id AND OLD.status IN ('confirmed', 'attended');
	UPDATE atelier SET seats_taken = seats_taken + 1
		WHERE id = NEW.atelier_id AND NEW.status IN ('confirmed', 'attended');
END;
