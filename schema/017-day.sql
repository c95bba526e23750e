-- The Atelier's day: a civility for the sign-in sheet and the badge, and a
-- check-in code printed on the badge. The code is not the cancel token: a
-- badge is shown to everyone, and its code only lets the door check its
-- holder in. Digits only, so that a barcode scanner set for a QWERTY
-- keyboard on an AZERTY computer still types something adfctl can read.
ALTER TABLE registration ADD COLUMN civility TEXT CHECK (civility IN ('M.', 'Mme'));
ALTER TABLE registration ADD COLUMN checkin_code TEXT;
UPDATE registration SET checkin_code = printf('%012d', abs(random() % 1000000000000))
	WHERE checkin_code IS NULL;
CREATE UNIQUE INDEX registration_checkin_code ON registration(checkin_code);

-- What an Atelier leaves once held: its replay and its slides, shown in the
-- after-event mails and on its page.
ALTER TABLE atelier ADD COLUMN replay_url TEXT;
ALTER TABLE atelier ADD COLUMN slides_url TEXT;
