-- Waits for the advisory lock the test holds: the migration is in progress for as long
-- as the test wants, with no timing margin.
SELECT pg_advisory_lock(4242);
SELECT pg_advisory_unlock(4242);
ALTER TABLE items ADD COLUMN price numeric(10, 2);
