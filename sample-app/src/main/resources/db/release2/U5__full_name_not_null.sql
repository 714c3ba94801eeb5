-- Undoes V5__full_name_not_null.sql: the column becomes optional again, still proven by
-- the constraint V4 added.

SET LOCAL lock_timeout = '5s';

ALTER TABLE usertable ADD CONSTRAINT usertable_full_name_not_null CHECK (full_name IS NOT NULL) NOT VALID;
ALTER TABLE usertable ALTER COLUMN full_name DROP NOT NULL;
