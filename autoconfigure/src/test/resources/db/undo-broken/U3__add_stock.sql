-- drops the column, with a typo on the next line
ALTER TABLE items DROP COLUMN stok;
