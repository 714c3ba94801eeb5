-- Each tenant's orders, in the tenant's own schema (the starter sets it as the default
-- schema, so the scripts name no schema).

CREATE TABLE orders (
	id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	customer    TEXT NOT NULL,
	total_cents BIGINT NOT NULL CHECK (total_cents >= 0),
	placed_at   TIMESTAMPTZ NOT NULL DEFAULT now()
);
