CREATE OR REPLACE VIEW items_in_stock AS SELECT id, name FROM items WHERE stock > 0;
