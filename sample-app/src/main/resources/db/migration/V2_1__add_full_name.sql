-- Expand: the full name, one column where the name used to be two (first_name and
-- last_name). Nullable, so that the running version, which does not write it yet, keeps
-- inserting users. V3 fills it for the existing rows; the application writes both the
-- old columns and the new one from this version on. The old columns are dropped by the
-- contract migration db/contract/V5__drop_first_and_last_name.sql, once no instance of
-- this version is left (see the README, "Two versions side by side").

-- Wait at most 5 s for the table lock, rather than queue every query behind us.
SET LOCAL lock_timeout = '5s';

ALTER TABLE usertable ADD COLUMN full_name TEXT;
