-- Additive change: optional contact details. Nullable, so existing rows and older
-- application versions are unaffected.

ALTER TABLE usertable ADD COLUMN phone VARCHAR(32);
ALTER TABLE usertable ADD COLUMN address TEXT;
