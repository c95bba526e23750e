-- An Atelier that moves, is cancelled or comes back loses the reminders not
-- sent yet, and each reminder moment still to come is planned afresh from
-- its new date. Said here, beside the tables, so that the domain that
-- records the change never writes the mail queue itself.
CREATE TRIGGER atelier_event_drops_reminders AFTER INSERT ON atelier_event
BEGIN
	DELETE FROM outbox WHERE atelier_id = NEW.atelier_id AND kind = 'reminder'
		AND state = 'pending' AND attempts = 0;
	DELETE FROM reminder_run WHERE atelier_id = NEW.atelier_id AND due_at > NEW.at;
END;
