-- The programme: people shared by the whole tour, the sessions of each
-- Atelier, who speaks where, and the good practices shown.

-- A random key that makes this database's iCalendar UIDs its own.
CREATE TABLE instance (
	key TEXT NOT NULL
) STRICT;
INSERT INTO instance (key) VALUES (lower(hex(randomblob(8))));

CREATE TABLE person (
	id INTEGER PRIMARY KEY,
	civility TEXT CHECK (civility IN ('M.', 'Mme')),
	first_name TEXT NOT NULL,
	last_name TEXT NOT NULL,
	role TEXT,
	organisation TEXT,
	email TEXT,
	phone TEXT,
	-- first and last name, case and accents folded: finds a twin
	name_key TEXT NOT NULL,
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL
) STRICT;
CREATE UNIQUE INDEX person_email ON person(lower(email)) WHERE email IS NOT NULL;
CREATE INDEX person_name_key ON person(name_key);

CREATE TABLE session (
	id INTEGER PRIMARY KEY,
	atelier_id INTEGER NOT NULL REFERENCES atelier(id) ON DELETE CASCADE,
	kind TEXT NOT NULL CHECK (kind IN ('accueil', 'discours', 'table-ronde', 'labo',
		'pause', 'cloture')),
	title TEXT NOT NULL,
	start_time TEXT NOT NULL,
	end_time TEXT NOT NULL,
	CHECK (end_time > start_time)
) STRICT;
CREATE INDEX session_atelier ON session(atelier_id, start_time);

CREATE TABLE participation (
	session_id INTEGER NOT NULL REFERENCES session(id) ON DELETE CASCADE,
	person_id INTEGER NOT NULL REFERENCES person(id),
	role TEXT NOT NULL CHECK (role IN ('animateur', 'intervenant')),
	position INTEGER NOT NULL,
	PRIMARY KEY (session_id, person_id)
) STRICT;
CREATE INDEX participation_person ON participation(person_id);

CREATE TABLE practice (
	id INTEGER PRIMARY KEY,
	departement TEXT NOT NULL REFERENCES departement(code),
	title TEXT NOT NULL,
	theme TEXT NOT NULL,
	summary TEXT NOT NULL,
	atelier_id INTEGER REFERENCES atelier(id) ON DELETE SET NULL,
	session_id INTEGER REFERENCES session(id) ON DELETE SET NULL,
	created_at TEXT NOT NULL
) STRICT;
CREATE INDEX practice_departement ON practice(departement);

-- Full-text search that folds case and accents ("solidarite" finds
-- "solidarité"), kept in step with practice by triggers.
CREATE VIRTUAL TABLE practice_fts USING fts5(title, theme, summary,
	content = 'practice', content_rowid = 'id',
	tokenize = 'unicode61 remove_diacritics 2');
CREATE TRIGGER practice_ai AFTER INSERT ON practice BEGIN
	INSERT INTO practice_fts (rowid, title, theme, summary)
	VALUES (new.id, new.title, new.theme, new.summary);
END;
CREATE TRIGGER practice_ad AFTER DELETE ON practice BEGIN
	INSERT INTO practice_fts (practice_fts, rowid, title, theme, summary)
	VALUES ('delete', old.id, old.title, old.theme, old.summary);
END;
CREATE TRIGGER practice_au AFTER UPDATE ON practice BEGIN
	INSERT INTO practice_fts (practice_fts, rowid, title, theme, summary)
	VALUES ('delete', old.id, old.title, old.theme, old.summary);
	INSERT INTO practice_fts (rowid, title, theme, summary)
	VALUES (new.id, new.title, new.theme, new.summary);
END;
