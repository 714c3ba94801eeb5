-- Waits for the advisory lock the test holds (so that the test sees the run before it
-- fails), then fails.
SELECT pg_advisory_lock(4242);
SELECT pg_advisory_unlock(4242);
SELECT no_such_column FROM items;
