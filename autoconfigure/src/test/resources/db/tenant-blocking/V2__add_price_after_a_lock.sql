-- A migration that changes the schema, then waits: for a tenant whose lock
-- TenantFanOutProcessDeathTests holds (the two-key advisory lock 4242, hash of the schema),
-- the migration is half-way when the test kills its JVM. For every other tenant the lock is
-- free, and taken for this transaction only.
CREATE TABLE half_done (id int);
SELECT pg_advisory_xact_lock(4242, hashtext(current_schema()));
-- migrations:allow missing-lock-timeout a test tenant's table, nobody else uses it
ALTER TABLE item ADD COLUMN price numeric;
