-- Someone registers again with an address already registered: the site
-- answers as for a new registration (it must not tell a stranger who is
-- registered) and the owner gets a mail instead (event 'again'). SQLite
-- cannot change a CHECK in place: the table is copied.
CREATE TABLE registration_event_new (
	id INTEGER PRIMARY KEY,
	registration_id INTEGER NOT NULL REFERENCES registration(id),
	kind TEXT NOT NULL CHECK (kind IN ('confirmed', 'waitlisted', 'promoted', 'cancelled',
		'attended', 'again')),
	at TEXT NOT NULL,
	notified_at TEXT
) STRICT;
INSERT INTO registration_event_new (id, registration_id, kind, at, notified_at)
	SELECT id, registration_id, kind, at, notified_at FROM registration_event;
DROP TABLE registration_event;
ALTER TABLE registration_event_new RENAME TO registration_event;
CREATE INDEX registration_event_registration ON registration_event(registration_id);
CREATE INDEX registration_event_pending ON registration_event(notified_at) WHERE notified_at IS NULL;
