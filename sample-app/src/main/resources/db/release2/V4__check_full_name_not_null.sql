-- Release 2, expand: every writer now fills full_name (release 1 writes it beside the
-- old columns, release 2 instead of them), so it can become mandatory. In two steps, as
-- the lint's set-not-null rule asks: a constraint checked for new rows only, taken with
-- a brief lock, then validated (V5) without blocking reads and writes.

SET LOCAL lock_timeout = '5s';

ALTER TABLE usertable ADD CONSTRAINT usertable_full_name_not_null CHECK (full_name IS NOT NULL) NOT VALID;
