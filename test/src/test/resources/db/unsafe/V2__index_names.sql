-- Blocks every write to items while the index is built.
CREATE INDEX items_name_idx ON items (name);
