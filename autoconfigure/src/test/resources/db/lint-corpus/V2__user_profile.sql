/*
 * Profile fields, a trigger that keeps updated_at fresh, and a function whose body
 * talks about ALTER TABLE users DROP COLUMN email; -- without being one.
 */
SET LOCAL lock_timeout = '5s';

ALTER TABLE users ADD COLUMN display_name text;                -- nullable: instant
ALTER TABLE users ADD COLUMN locale varchar(8) NOT NULL DEFAULT 'en'; -- constant default: instant
ALTER TABLE users ADD COLUMN updated_at timestamptz DEFAULT now();     -- stable default: instant

CREATE FUNCTION touch_updated_at() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	-- not a statement of the migration: ALTER TABLE users DROP COLUMN email;
	NEW.updated_at := now();
	RETURN NEW;
END;
$$;

CREATE TRIGGER users_touch BEFORE UPDATE ON users
	FOR EACH ROW EXECUTE FUNCTION touch_updated_at();

DO $migration$
BEGIN
	IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'reporting') THEN
		RAISE NOTICE 'no reporting role; skipping the grant; nothing to do';
	END IF;
END
$migration$;

COMMENT ON COLUMN users.display_name IS 'Shown instead of the e-mail; may hold ";" and ''quotes''';
