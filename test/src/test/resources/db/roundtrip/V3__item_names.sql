CREATE VIEW item_names AS SELECT id, name FROM items;
