-- migrations:requires 3
ALTER TABLE items DROP COLUMN price;
ALTER TABLE items DROP COLUMN no_such_column;
