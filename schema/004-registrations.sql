-- Registrations: who comes to an Atelier, the FIFO waiting list, check-in,
-- and the events the mailer will tell people about.

CREATE TABLE registration (
	id INTEGER PRIMARY KEY,
	atelier_id INTEGER NOT NULL REFERENCES atelier(id),
	name TEXT NOT NULL,
	email TEXT NOT NULL,
	-- the address trimmed and case-folded: one registration per Atelier
	email_key TEXT NOT NULL,
	organisation TEXT,
	category TEXT NOT NULL CHECK (category IN ('elu', 'agent', 'partenaire', 'presse',
		'entreprise', 'public')),
	status TEXT NOT NULL CHECK (status IN ('confirmed', 'waitlisted', 'cancelled',
		'attended')),
	-- a secret for the participant's own cancel link; never listed
	token TEXT NOT NULL UNIQUE,
	-- the waiting list is served in this order (then by id)
	queued_at TEXT NOT NULL,
	registered_at TEXT NOT NULL,
	cancelled_at TEXT,
	cancel_reason TEXT,
	attended_at TEXT,
	anonymised_at TEXT,
	source TEXT NOT NULL DEFAULT 'adfctl'
) STRICT;
CREATE UNIQUE INDEX registration_email ON registration(atelier_id, email_key);
CREATE INDEX registration_queue ON registration(atelier_id, status, queued_at, id);
CREATE INDEX registration_email_key ON registration(email_key);

-- What happened to a registration, for the notices of the mail issue.
CREATE TABLE registration_event (
	id INTEGER PRIMARY KEY,
	registration_id INTEGER NOT NULL REFERENCES registration(id),
	kind TEXT NOT NULL CHECK (kind IN ('confirmed', 'waitlisted', 'promoted', 'cancelled',
		'attended')),
	at TEXT NOT NULL
) STRICT;
CREATE INDEX registration_event_registration ON registration_event(registration_id);
