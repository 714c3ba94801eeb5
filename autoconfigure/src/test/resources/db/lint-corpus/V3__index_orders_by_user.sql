-- Alone in its script, so Flyway runs it outside a transaction.
CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_user_id_idx ON orders (user_id);
