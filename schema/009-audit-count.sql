-- Refusals repeated by one uid for one command are one audit row a minute,
-- counted, rather than one fsynced row each (a script of refused requests
-- would otherwise grow the log without bound).
ALTER TABLE audit ADD COLUMN count INTEGER NOT NULL DEFAULT 1 CHECK (count >= 1);
