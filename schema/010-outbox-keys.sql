-- An outbox key names people by registration or person id now, never by
-- address. Older keys ended with the address: the moments they guarded are
-- long handled (a reminder moment and a notice are handled once), so they
-- become plain unique keys.
UPDATE outbox SET dedupe_key = 'legacy:' || id WHERE dedupe_key LIKE '%@%';
