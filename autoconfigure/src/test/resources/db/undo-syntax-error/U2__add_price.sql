-- undoes V2 in two statements; the second has a syntax error on its third line
UPDATE items SET price = NULL;

ALTER TABLE items
    DROP COLUMN
    price price;
