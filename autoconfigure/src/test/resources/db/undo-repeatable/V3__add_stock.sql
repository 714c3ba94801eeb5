ALTER TABLE items ADD COLUMN stock int NOT NULL DEFAULT 0;
UPDATE items SET stock = id * 100;
