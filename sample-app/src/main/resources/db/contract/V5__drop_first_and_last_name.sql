-- migrations:requires 5
-- Contract: drop the name's old columns. Release 1 still inserts into them, so this runs
-- only once every live instance expects version 5 (release 2) or later: the starter
-- waits for release 1's instances to stop, then runs it under the migration lock, with a
-- backup first. Dropping a column is expected here; in an expand migration the lint
-- refuses it.

SET LOCAL lock_timeout = '5s';

ALTER TABLE usertable DROP COLUMN first_name;
ALTER TABLE usertable DROP COLUMN last_name;
