-- Operator presence (README.md, "Operator presence"): available / paused with a reason / offline, as intervals with a
-- start and an end, applied to Asterisk's queues through AMI QueuePause; and queue membership as
-- Asterisk reports it over AMI. Reports sum the intervals per operator (GET /reports/presence).

-- The exclusion constraint below mixes `=` on bigint with `&&` on ranges in one GiST index.
-- btree_gist is a trusted contrib extension (PostgreSQL 13+): a database owner may create it.
CREATE EXTENSION IF NOT EXISTS btree_gist;

-- Why an operator is paused. `code` goes to Asterisk (QueuePause Reason → queue_log, the
-- QueueMemberPause event); `label` is what people read. Removed reasons stay for old intervals.
CREATE TABLE app.presence_reasons (
  code text PRIMARY KEY CHECK (code ~ '^[a-z][a-z0-9_]{0,31}$'),
  label text NOT NULL,
  sort_order integer NOT NULL DEFAULT 0,
  deleted_at timestamptz
);

INSERT INTO app.presence_reasons (code, label, sort_order) VALUES
  ('lunch', 'Обед', 10),
  ('break', 'Перерыв', 20),
  ('after_call_work', 'Постобработка вызова', 30),
  ('training', 'Обучение', 40),
  ('meeting', 'Совещание', 50),
  ('technical', 'Технические проблемы', 60),
  ('other', 'Другое', 90);

-- One row per stretch of one state. At most one open row (ended_at NULL) per operator, and no two
-- rows of an operator overlap: a change closes the open row at the instant the next one starts.
CREATE TABLE app.operator_presence (
  id bigserial PRIMARY KEY,
  operator_id bigint NOT NULL REFERENCES app.operators (id),
  state text NOT NULL CHECK (state IN ('available', 'paused', 'offline')),
  reason_code text REFERENCES app.presence_reasons (code),
  started_at timestamptz NOT NULL,
  ended_at timestamptz,
  -- Who made the change (the operator, a supervisor, an admin); the login survives the user.
  set_by_user_id bigint REFERENCES app.users (id) ON DELETE SET NULL,
  set_by_login text NOT NULL,
  -- Whether Asterisk confirmed the QueuePause; when not, why (no AMI for the server, not a member).
  asterisk_applied boolean NOT NULL,
  asterisk_note text,
  CHECK ((state = 'paused') = (reason_code IS NOT NULL)),
  CHECK (ended_at IS NULL OR ended_at > started_at),
  CONSTRAINT operator_presence_no_overlap
    EXCLUDE USING gist (operator_id WITH =, tstzrange(started_at, ended_at) WITH &&)
);
CREATE UNIQUE INDEX operator_presence_open ON app.operator_presence (operator_id) WHERE ended_at IS NULL;

-- Queue membership as Asterisk reports it over AMI: the QueueMember items of QueueStatus at every
-- (re)connection, then QueueMemberAdded / QueueMemberRemoved / QueueMemberPause events. Replaced
-- per server on each reconnection, so it never outlives what Asterisk says.
CREATE TABLE app.queue_members (
  server_id text NOT NULL REFERENCES app.asterisk_servers (id),
  queue text NOT NULL,
  -- As Asterisk names the member (QueuePause's Interface): PJSIP/101, Local/101@agents/n.
  interface text NOT NULL,
  -- The operator's endpoint behind it (StateInterface or Interface); NULL when none can be told.
  endpoint text,
  membership text NOT NULL,
  paused boolean NOT NULL,
  paused_reason text,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (server_id, queue, interface)
);
CREATE INDEX queue_members_endpoint_idx ON app.queue_members (server_id, endpoint);
