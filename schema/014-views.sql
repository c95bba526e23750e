-- Two views, so that a rule is said once.
--
-- A waitlisted registration's position: 1 + those queued before it at the
-- same Atelier (queued_at, then id). Read through the waiting list's index.
CREATE VIEW waitlist_position AS
	SELECT r.id, (SELECT count(*) FROM registration w WHERE w.atelier_id = r.atelier_id
		AND w.status = 'waitlisted' AND (w.queued_at < r.queued_at
		OR (w.queued_at = r.queued_at AND w.id <= r.id))) AS position
	FROM registration r WHERE r.status = 'waitlisted';

-- The keys of the mail queue: what the planner may ask of it without
-- reading the queue's table itself (daemon/mail/outbox.c owns that).
CREATE VIEW planned_mail AS SELECT dedupe_key FROM outbox;
