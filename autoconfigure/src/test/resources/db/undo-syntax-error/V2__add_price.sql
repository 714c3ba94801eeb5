ALTER TABLE items ADD COLUMN price numeric(10, 2);
UPDATE items SET price = id * 10;
