-- Users and the identities they sign in with (one user, many providers).

CREATE TABLE usertable (
	id         UUID PRIMARY KEY DEFAULT gen_random_uuid(),
	first_name TEXT,
	last_name  TEXT,
	email      TEXT NOT NULL,
	created_at TIMESTAMPTZ DEFAULT now()
);

CREATE TABLE useridentitytable (
	id               UUID PRIMARY KEY DEFAULT gen_random_uuid(),
	user_id          UUID NOT NULL REFERENCES usertable (id) ON DELETE CASCADE,
	provider         TEXT NOT NULL,
	provider_user_id TEXT NOT NULL,
	created_at       TIMESTAMPTZ DEFAULT now(),
	UNIQUE (provider, provider_user_id)
);

CREATE UNIQUE INDEX usertable_email_idx ON usertable (email);
CREATE INDEX usertable_created_at_idx ON usertable (created_at);
CREATE INDEX useridentitytable_user_id_idx ON useridentitytable (user_id);
