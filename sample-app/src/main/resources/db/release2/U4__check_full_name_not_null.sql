-- Undoes V4__check_full_name_not_null.sql.

SET LOCAL lock_timeout = '5s';

ALTER TABLE usertable DROP CONSTRAINT usertable_full_name_not_null;
