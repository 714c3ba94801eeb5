-- Additive change: optional contact details. Nullable, so existing rows and older
-- application versions are unaffected.

-- Wait at most 5 s for the table lock, rather than queue every query behind us.
SET LOCAL lock_timeout = '5s';

ALTER TABLE usertable ADD COLUMN phone VARCHAR(32);
ALTER TABLE usertable ADD COLUMN address TEXT;
