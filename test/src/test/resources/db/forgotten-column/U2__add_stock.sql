-- Forgets the price column.
ALTER TABLE items DROP COLUMN stock;
