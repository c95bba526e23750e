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

-- A draft is never cancelled now (it is deleted). One cancelled by an older
-- adfd was never announced (a scheduled Atelier's cancellation always left
-- an event): it becomes a draft again, which an organiser can complete or
-- delete, and which no page shows.
UPDATE atelier SET status = 'draft', cancel_reason = NULL
	WHERE status = 'cancelled'
	AND id NOT IN (SELECT atelier_id FROM atelier_event WHERE kind = 'cancelled');
