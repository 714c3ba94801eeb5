-- Undoes V2_1__add_full_name.sql. The full names are derived from the first and last
-- names, so a later migrate adds and fills the column again the same way.

SET LOCAL lock_timeout = '5s';

ALTER TABLE usertable DROP COLUMN full_name;
