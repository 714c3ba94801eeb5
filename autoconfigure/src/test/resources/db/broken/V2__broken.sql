-- Changes rows, then fails: PostgreSQL must roll all of it back.
INSERT INTO items VALUES (4, 'four');
UPDATE items SET name = 'changed';
SELECT no_such_column FROM items;
