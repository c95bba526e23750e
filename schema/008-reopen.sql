-- An Atelier scheduled again after its cancellation: the people who got the
-- cancellation hear it is back (atelier_event 'reopened'). SQLite cannot
-- change a CHECK in place: the table is copied.

CREATE TABLE atelier_event_new (
	id INTEGER PRIMARY KEY,
	atelier_id INTEGER NOT NULL REFERENCES atelier(id),
	kind TEXT NOT NULL CHECK (kind IN ('moved', 'cancelled', 'reopened')),
	at TEXT NOT NULL,
	notified_at TEXT
) STRICT;
INSERT INTO atelier_event_new (id, atelier_id, kind, at, notified_at)
	SELECT id, atelier_id, kind, at, notified_at FROM atelier_event;
DROP TABLE atelier_event;
ALTER TABLE atelier_event_new RENAME TO atelier_event;
CREATE INDEX atelier_event_pending ON atelier_event(notified_at) WHERE notified_at IS NULL;

-- A draft cancelled by an older adfd is made a draft again at each start
-- (atelier_repair), not here: a copy restored from an old backup is
-- repaired too.
