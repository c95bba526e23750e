-- The public site: participants register themselves (with their consent
-- recorded) and cancel through a personal link; mails carry that link.

-- When the participant consented to the processing of their data (the
-- registration form's box); NULL for registrations made by an organiser.
ALTER TABLE registration ADD COLUMN consent_at TEXT;

-- The cancel link of a message about one's registration: a List-Unsubscribe
-- header (RFC 2369, one-click per RFC 8058).
ALTER TABLE outbox ADD COLUMN unsubscribe TEXT;
