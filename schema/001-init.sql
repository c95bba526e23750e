-- The tour: Départements (reference data), cycles, Ateliers, and the audit
-- log of every change made through the socket. Instants are UTC ISO 8601;
-- an Atelier's date and times are civil times in Europe/Paris.

CREATE TABLE departement (
	code TEXT PRIMARY KEY,
	name TEXT NOT NULL,
	region TEXT NOT NULL
) STRICT, WITHOUT ROWID;

CREATE TABLE cycle (
	id INTEGER PRIMARY KEY,
	name TEXT NOT NULL UNIQUE,
	first_month TEXT NOT NULL,
	last_month TEXT NOT NULL,
	created_at TEXT NOT NULL,
	CHECK (first_month <= last_month)
) STRICT;

CREATE TABLE atelier (
	id INTEGER PRIMARY KEY,
	cycle_id INTEGER REFERENCES cycle(id),
	departement TEXT REFERENCES departement(code),
	title TEXT,
	date TEXT NOT NULL,
	start_time TEXT NOT NULL,
	end_time TEXT,
	starts_at TEXT NOT NULL,
	venue TEXT,
	city TEXT,
	capacity INTEGER CHECK (capacity IS NULL OR capacity > 0),
	status TEXT NOT NULL DEFAULT 'draft'
		CHECK (status IN ('draft', 'scheduled', 'held', 'cancelled')),
	cancel_reason TEXT,
	sequence INTEGER NOT NULL DEFAULT 0,
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL,
	-- only a draft (or a cancelled draft) may lack what a participant needs
	CHECK (status IN ('draft', 'cancelled') OR (departement IS NOT NULL AND title IS NOT NULL
		AND venue IS NOT NULL AND city IS NOT NULL AND capacity IS NOT NULL)),
	CHECK (end_time IS NULL OR end_time > start_time)
) STRICT;
CREATE INDEX atelier_cycle_date ON atelier(cycle_id, date);
CREATE INDEX atelier_date ON atelier(date);
CREATE INDEX atelier_departement ON atelier(departement);

CREATE TABLE audit (
	id INTEGER PRIMARY KEY,
	at TEXT NOT NULL,
	uid INTEGER NOT NULL,
	command TEXT NOT NULL,
	target TEXT,
	outcome TEXT NOT NULL
) STRICT;
CREATE INDEX audit_at ON audit(at);
