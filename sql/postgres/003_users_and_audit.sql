-- People and their access (docs/roles.md#scope): operators (their phone endpoint on a
-- server), supervisors (the queues they may see), admins. Refresh tokens are stored hashed and
-- rotate on use; the audit log records every listen, download, export and card edit.

CREATE TABLE app.users (
  id bigserial PRIMARY KEY,
  login text NOT NULL,
  password_hash text NOT NULL,
  role text NOT NULL CHECK (role IN ('operator', 'supervisor', 'admin')),
  display_name text NOT NULL DEFAULT '',
  server_id text NOT NULL REFERENCES app.asterisk_servers (id),
  -- The operator's phone: the `101` of `PJSIP/101-0000002a` on server_id.
  operator_endpoint text,
  active boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX users_login_unique ON app.users (lower(login));

-- A supervisor's scope: the queues (by Asterisk name, on the user's server) they may see.
CREATE TABLE app.user_queues (
  user_id bigint NOT NULL REFERENCES app.users (id) ON DELETE CASCADE,
  queue text NOT NULL,
  PRIMARY KEY (user_id, queue)
);

CREATE TABLE app.refresh_tokens (
  id bigserial PRIMARY KEY,
  user_id bigint NOT NULL REFERENCES app.users (id) ON DELETE CASCADE,
  -- sha256 of the token: a stolen database does not yield usable tokens.
  token_hash text NOT NULL UNIQUE,
  expires_at timestamptz NOT NULL,
  revoked_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  ip text,
  user_agent text
);
CREATE INDEX refresh_tokens_user_idx ON app.refresh_tokens (user_id);

CREATE TABLE app.audit_log (
  id bigserial PRIMARY KEY,
  at timestamptz NOT NULL DEFAULT now(),
  user_id bigint,
  login text NOT NULL,
  -- login, logout, card_edit, card_create, recording_listen, recording_download, export, …
  action text NOT NULL,
  -- What was acted on, e.g. `call:42`.
  target text,
  ip text,
  details jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_log_at_idx ON app.audit_log (at);
