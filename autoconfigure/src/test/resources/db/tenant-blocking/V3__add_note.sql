-- migrations:allow missing-lock-timeout a test tenant's table, nobody else uses it
ALTER TABLE item ADD COLUMN note text;
