-- Mail: the outbox the mailer drains, the reminder moments already handled,
-- the changes of an Atelier that people must hear about, per-Atelier
-- reminder rules.

CREATE TABLE outbox (
	id INTEGER PRIMARY KEY,
	-- one message per (Atelier, recipient, rule) or per event, ever
	dedupe_key TEXT NOT NULL UNIQUE,
	kind TEXT NOT NULL,
	atelier_id INTEGER REFERENCES atelier(id),
	recipient TEXT NOT NULL,
	recipient_name TEXT,
	-- the parts of the message: it is built from them at each attempt,
	-- byte for byte the same (Date is created_at, Message-ID fixed)
	subject TEXT NOT NULL,
	body TEXT NOT NULL,
	ics TEXT,
	ics_method TEXT,
	message_id TEXT NOT NULL,
	state TEXT NOT NULL CHECK (state IN ('pending', 'sending', 'sent', 'failed', 'skipped',
		'cancelled')),
	attempts INTEGER NOT NULL DEFAULT 0,
	next_attempt TEXT NOT NULL,
	last_error TEXT,
	created_at TEXT NOT NULL,
	sent_at TEXT
) STRICT;
CREATE INDEX outbox_due ON outbox(state, next_attempt);
CREATE INDEX outbox_atelier ON outbox(atelier_id, kind, state);
CREATE INDEX outbox_recipient ON outbox(recipient);

-- A reminder moment (Atelier, rule) is handled once: its messages queued,
-- or skipped with the reason.
CREATE TABLE reminder_run (
	atelier_id INTEGER NOT NULL REFERENCES atelier(id),
	rule TEXT NOT NULL,
	due_at TEXT NOT NULL,
	handled_at TEXT NOT NULL,
	outcome TEXT NOT NULL,
	PRIMARY KEY (atelier_id, rule)
) STRICT;

-- Rules of one Atelier that replace the configured ones.
CREATE TABLE reminder_rule (
	atelier_id INTEGER NOT NULL REFERENCES atelier(id) ON DELETE CASCADE,
	name TEXT NOT NULL,
	offset_seconds INTEGER NOT NULL CHECK (offset_seconds > 0),
	audience TEXT NOT NULL,
	template TEXT NOT NULL,
	PRIMARY KEY (atelier_id, name)
) STRICT;

-- An Atelier moved or cancelled: everyone concerned gets a notice.
CREATE TABLE atelier_event (
	id INTEGER PRIMARY KEY,
	atelier_id INTEGER NOT NULL REFERENCES atelier(id),
	kind TEXT NOT NULL CHECK (kind IN ('moved', 'cancelled')),
	at TEXT NOT NULL,
	notified_at TEXT
) STRICT;

ALTER TABLE registration_event ADD COLUMN notified_at TEXT;
CREATE INDEX registration_event_pending ON registration_event(notified_at) WHERE notified_at IS NULL;
CREATE INDEX atelier_event_pending ON atelier_event(notified_at) WHERE notified_at IS NULL;
