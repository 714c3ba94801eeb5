-- undoes V3 in three statements; the third has a typo
UPDATE items SET stock = 0;
ALTER TABLE items ALTER COLUMN stock DROP DEFAULT;
ALTER TABLE items
    DROP COLUMN stok;
