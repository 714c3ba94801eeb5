-- migrations:requires 3
-- The price column was replaced in version 3; versions before 3 still read it.
ALTER TABLE items DROP COLUMN price;
