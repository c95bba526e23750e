-- A registration rests on the service asked for, with an information
-- notice, not on consent. Consent is for what is optional: hearing of the
-- next Ateliers, given (unticked by default) with its time, withdrawable
-- from the cancel page. consent_at (006) is no longer written.
ALTER TABLE registration ADD COLUMN news_consent_at TEXT;
