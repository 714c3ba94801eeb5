SET LOCAL lock_timeout = '5s';

-- The application stopped reading legacy_ref in release 2.3.
-- migrations:allow drop-column no release since 2.3 reads legacy_ref
ALTER TABLE users DROP COLUMN legacy_ref;

ALTER TABLE orders RENAME COLUMN total TO amount;

ALTER TABLE orders
	ADD CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users (id),
	ADD CONSTRAINT orders_status_fk FOREIGN KEY (status) REFERENCES order_statuses (code) NOT VALID;

CREATE TABLE order_events (
	id       bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	order_id bigint NOT NULL REFERENCES orders (id),
	kind     text NOT NULL
);
CREATE INDEX order_events_order_idx ON order_events (order_id);
ALTER TABLE order_events ADD CONSTRAINT order_events_kind_check CHECK (kind <> '');
