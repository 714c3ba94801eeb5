ALTER TABLE items DROP COLUMN price;
-- the next line uses a placeholder nobody set
COMMENT ON TABLE items IS 'undone by ${undone_by}';
