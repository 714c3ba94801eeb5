-- Release 2, expand: the old rows are checked while reads and writes go on (VALIDATE
-- takes a lock that allows them), then SET NOT NULL uses the validated constraint instead
-- of scanning the table, and the constraint, now redundant, goes.

SET LOCAL lock_timeout = '5s';

ALTER TABLE usertable VALIDATE CONSTRAINT usertable_full_name_not_null;
ALTER TABLE usertable ALTER COLUMN full_name SET NOT NULL;
ALTER TABLE usertable DROP CONSTRAINT usertable_full_name_not_null;
