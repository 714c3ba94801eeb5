-- PostgreSQL refuses CONCURRENTLY inside a transaction: Flyway runs this script outside one.
CREATE INDEX CONCURRENTLY items_name ON items (name);
