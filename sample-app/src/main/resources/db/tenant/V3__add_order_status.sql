-- An order's status. A constant default adds the column without rewriting the table; the
-- lock timeout keeps the ALTER from queueing every query on orders behind a long transaction.

SET LOCAL lock_timeout = '5s';
ALTER TABLE orders ADD COLUMN status TEXT NOT NULL DEFAULT 'placed';
