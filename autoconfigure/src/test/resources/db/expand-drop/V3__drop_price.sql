SET LOCAL lock_timeout = '5s';
ALTER TABLE items DROP COLUMN price;
