-- Statuses from the old system, then every user must have an e-mail.
CREATE TABLE order_statuses (code varchar(16) PRIMARY KEY, label text NOT NULL);

COPY order_statuses (code, label) FROM stdin;
new	New; not paid yet
paid	Paid
shipped	DROP TABLE users; -- only data
\.

INSERT INTO order_statuses VALUES ('lost', E'Lost\'s; gone');
CREATE INDEX order_statuses_label_idx ON order_statuses (label);

UPDATE users SET email = 'unknown+' || id || '@example.com' WHERE email IS NULL;
ALTER TABLE users ALTER COLUMN email SET NOT NULL;
