ALTER TABLE items ADD COLUMN price numeric(10, 2);
UPDATE items SET price = id * 10;
-- long enough for replicas started together to queue up behind the lock
SELECT pg_sleep(2);
