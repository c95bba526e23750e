-- An Atelier's mail rules are the configured ones plus its own (a rule of
-- its own overrides a configured one of the same name); a rule is switched
-- off for one Atelier only by saying so.
CREATE TABLE reminder_off (
	atelier_id INTEGER NOT NULL REFERENCES atelier(id) ON DELETE CASCADE,
	name TEXT NOT NULL,
	at TEXT NOT NULL,
	PRIMARY KEY (atelier_id, name)
) STRICT;

-- Until now an Atelier with rules of its own had none of the configured
-- ones: they come back, but none whose moment is already past fires late.
ALTER TABLE atelier ADD COLUMN configured_rules_from TEXT;
UPDATE atelier SET configured_rules_from = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')
	WHERE id IN (SELECT atelier_id FROM reminder_rule);
