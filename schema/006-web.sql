-- The public site: participants register themselves (with their consent
-- recorded) and cancel through a personal link; mails carry that link.

-- When the participant consented to the processing of their data (the
-- registration form's box); NULL for registrations made by an organiser.
ALTER TABLE registration ADD COLUMN consent_at TEXT;

-- A cancel link is looked up by the first 16 characters of its token, and
-- the whole token is then compared in constant time, so that the lookup's
-- timing tells nothing about the rest.
CREATE INDEX registration_token_selector ON registration(substr(token, 1, 16));

-- The cancel link of a message about one's registration: a List-Unsubscribe
-- header (RFC 2369, one-click per RFC 8058).
ALTER TABLE outbox ADD COLUMN unsubscribe TEXT;
