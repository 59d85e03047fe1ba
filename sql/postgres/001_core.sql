-- Application schema: operators and queues per Asterisk server, the call-card dictionaries of
-- the card fields, calls with their attempts/transfers/segments/holds, and the collector's
-- bookkeeping (watermarks, quarantine, outbox). Keys are (server_id, …) everywhere: several
-- Asterisk servers may feed one system and their numbers may repeat (docs/reconciliation.md#call-grouping).

CREATE SCHEMA IF NOT EXISTS app;

CREATE TABLE app.asterisk_servers (
  id text PRIMARY KEY,
  name text NOT NULL,
  -- Schema holding this server's cel/cdr tables (sql/asterisk/cel-cdr.sql).
  cel_schema text NOT NULL,
  -- IANA zone of the server's clock: cel.eventtime is local time without zone.
  time_zone text NOT NULL DEFAULT 'UTC',
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE app.operators (
  id bigserial PRIMARY KEY,
  server_id text NOT NULL REFERENCES app.asterisk_servers (id),
  -- The endpoint of the operator's phone: the `101` of `PJSIP/101-0000002a`.
  endpoint text NOT NULL,
  name text NOT NULL,
  active boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (server_id, endpoint)
);

CREATE TABLE app.queues (
  id bigserial PRIMARY KEY,
  server_id text NOT NULL REFERENCES app.asterisk_servers (id),
  name text NOT NULL,
  display_name text NOT NULL,
  -- Reports run in the queue's own time zone (docs/metrics.md#time-zones).
  time_zone text NOT NULL DEFAULT 'Europe/Moscow',
  -- Service level threshold T (seconds from queue entry).
  service_level_sec integer NOT NULL DEFAULT 20 CHECK (service_level_sec > 0),
  UNIQUE (server_id, name)
);

CREATE TABLE app.call_purposes (
  id bigserial PRIMARY KEY,
  name text NOT NULL,
  sort_order integer NOT NULL DEFAULT 0,
  deleted_at timestamptz
);
CREATE UNIQUE INDEX call_purposes_name_live ON app.call_purposes (name) WHERE deleted_at IS NULL;

CREATE TABLE app.call_categories (
  id bigserial PRIMARY KEY,
  name text NOT NULL,
  sort_order integer NOT NULL DEFAULT 0,
  deleted_at timestamptz
);
CREATE UNIQUE INDEX call_categories_name_live ON app.call_categories (name) WHERE deleted_at IS NULL;

CREATE TABLE app.call_subcategories (
  id bigserial PRIMARY KEY,
  category_id bigint NOT NULL REFERENCES app.call_categories (id),
  name text NOT NULL,
  sort_order integer NOT NULL DEFAULT 0,
  deleted_at timestamptz
);
CREATE UNIQUE INDEX call_subcategories_name_live ON app.call_subcategories (category_id, name) WHERE deleted_at IS NULL;

CREATE TABLE app.call_tags (
  id bigserial PRIMARY KEY,
  name text NOT NULL,
  sort_order integer NOT NULL DEFAULT 0,
  deleted_at timestamptz
);
CREATE UNIQUE INDEX call_tags_name_live ON app.call_tags (name) WHERE deleted_at IS NULL;

-- One row per real call. Columns up to `flags` are derived by the reconciler and rewritten when
-- a re-derivation changes them; the card columns after them belong to people and the collector
-- never writes them.
CREATE TABLE app.calls (
  id bigserial PRIMARY KEY,
  server_id text NOT NULL,
  linkedid text NOT NULL,
  uniqueid text NOT NULL,
  linkedids text[] NOT NULL,
  direction text NOT NULL CHECK (direction IN ('inbound', 'outbound', 'internal')),
  status text NOT NULL CHECK (status IN ('ringing', 'answered', 'abandoned', 'missed', 'no_answer', 'busy', 'failed')),
  started_at timestamptz NOT NULL,
  answered_at timestamptz,
  ended_at timestamptz,
  duration_sec double precision NOT NULL DEFAULT 0,
  wait_sec double precision NOT NULL DEFAULT 0,
  queue_wait_sec double precision,
  talk_sec double precision NOT NULL DEFAULT 0,
  hold_sec double precision NOT NULL DEFAULT 0,
  src_number text,
  dst_number text,
  did text,
  queue text,
  queues text[] NOT NULL DEFAULT '{}',
  operator_endpoint text,
  operator_id bigint REFERENCES app.operators (id),
  hung_up_by text,
  recording_path text,
  recordings text[] NOT NULL DEFAULT '{}',
  closed_by text,
  flags text[] NOT NULL DEFAULT '{}',
  reconciler_version text NOT NULL,
  -- sha256 of the derived fields: an unchanged re-derivation writes nothing and ships nothing.
  derived_hash text NOT NULL,
  -- Bumped on every change (derived or card): the ClickHouse ReplacingMergeTree version.
  version bigint NOT NULL DEFAULT 1,
  -- What was last shipped to ClickHouse: attempt and segment rows beyond a new count, and the
  -- rows under a previous started_at day (a re-derivation can move it), go out as tombstones.
  shipped_attempts integer NOT NULL DEFAULT 0,
  shipped_segments integer NOT NULL DEFAULT 0,
  shipped_started_at timestamptz,
  -- The card: typed by operators, never overwritten by the collector.
  purpose_id bigint REFERENCES app.call_purposes (id),
  category_id bigint REFERENCES app.call_categories (id),
  subcategory_id bigint REFERENCES app.call_subcategories (id),
  notes text,
  needs_callback boolean NOT NULL DEFAULT false,
  resolved_first_call boolean,
  card_completed_at timestamptz,
  card_updated_at timestamptz,
  card_updated_by text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (server_id, linkedid)
);
CREATE INDEX calls_started_at_idx ON app.calls (started_at);
CREATE INDEX calls_operator_idx ON app.calls (operator_endpoint, started_at);
CREATE INDEX calls_queue_idx ON app.calls (queue, started_at);
CREATE INDEX calls_src_number_idx ON app.calls (src_number);

CREATE TABLE app.call_tag_links (
  call_id bigint NOT NULL REFERENCES app.calls (id) ON DELETE CASCADE,
  tag_id bigint NOT NULL REFERENCES app.call_tags (id),
  PRIMARY KEY (call_id, tag_id)
);

-- Every linkedid a call absorbed (transfers join linkedids): finds the call of a late row.
CREATE TABLE app.call_linkedids (
  server_id text NOT NULL,
  linkedid text NOT NULL,
  call_id bigint NOT NULL REFERENCES app.calls (id) ON DELETE CASCADE,
  PRIMARY KEY (server_id, linkedid)
);
CREATE INDEX call_linkedids_call_idx ON app.call_linkedids (call_id);

CREATE TABLE app.call_attempts (
  call_id bigint NOT NULL REFERENCES app.calls (id) ON DELETE CASCADE,
  seq integer NOT NULL,
  operator_endpoint text NOT NULL,
  operator_id bigint REFERENCES app.operators (id),
  queue text,
  rang_at timestamptz NOT NULL,
  ring_sec double precision NOT NULL,
  outcome text NOT NULL CHECK (outcome IN ('answered', 'no_answer', 'busy', 'declined', 'canceled')),
  uniqueid text NOT NULL,
  hangup_cause integer,
  PRIMARY KEY (call_id, seq)
);
CREATE INDEX call_attempts_operator_idx ON app.call_attempts (operator_endpoint, rang_at);

CREATE TABLE app.call_transfers (
  call_id bigint NOT NULL REFERENCES app.calls (id) ON DELETE CASCADE,
  seq integer NOT NULL,
  kind text NOT NULL CHECK (kind IN ('blind', 'attended')),
  from_operator text,
  to_target text,
  at timestamptz NOT NULL,
  PRIMARY KEY (call_id, seq)
);

CREATE TABLE app.call_segments (
  call_id bigint NOT NULL REFERENCES app.calls (id) ON DELETE CASCADE,
  seq integer NOT NULL,
  operator_endpoint text,
  operator_id bigint REFERENCES app.operators (id),
  party text NOT NULL,
  started_at timestamptz NOT NULL,
  ended_at timestamptz NOT NULL,
  talk_sec double precision NOT NULL,
  hold_sec double precision NOT NULL,
  PRIMARY KEY (call_id, seq)
);

CREATE TABLE app.call_holds (
  call_id bigint NOT NULL REFERENCES app.calls (id) ON DELETE CASCADE,
  seq integer NOT NULL,
  operator_endpoint text,
  started_at timestamptz NOT NULL,
  ended_at timestamptz NOT NULL,
  PRIMARY KEY (call_id, seq)
);

-- Read position per source table and server: rows with id <= last_id are accounted for.
CREATE TABLE app.watermarks (
  source text NOT NULL CHECK (source IN ('cel', 'cdr')),
  server_id text NOT NULL,
  last_id bigint NOT NULL DEFAULT 0,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (source, server_id)
);

-- Rows the collector could not use, with the reason; the pipeline goes on without them.
CREATE TABLE app.quarantine (
  id bigserial PRIMARY KEY,
  source text NOT NULL CHECK (source IN ('cel', 'cdr', 'call')),
  server_id text NOT NULL,
  source_id bigint,
  linkedids text[] NOT NULL DEFAULT '{}',
  reason text NOT NULL,
  raw jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE NULLS NOT DISTINCT (source, server_id, source_id, reason)
);

-- Calls whose facts must be (re)shipped to ClickHouse. A tombstone (server_id, linkedid,
-- started_at, shipped_attempts, shipped_segments) marks a call deleted by a merge: its facts are
-- shipped deleted.
CREATE TABLE app.outbox (
  id bigserial PRIMARY KEY,
  call_id bigint NOT NULL,
  version bigint NOT NULL,
  tombstone jsonb,
  created_at timestamptz NOT NULL DEFAULT now()
);

-- Calls inserted or re-versioned, for the live stream (GET /live/events) and latency measurement: one
-- statement-level trigger per statement (a collector batch writes thousands of calls), payloads
-- of up to 400 comma-separated `id:version` pairs (NOTIFY payloads are limited to 8000 bytes).
CREATE OR REPLACE FUNCTION app.notify_calls_inserted() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE chunk text;
BEGIN
  FOR chunk IN
    SELECT string_agg(id::text || ':' || version::text, ',')
    FROM (SELECT id, version, row_number() OVER (ORDER BY id) - 1 AS n FROM changed) c
    GROUP BY n / 400
  LOOP
    PERFORM pg_notify('call_changed', chunk);
  END LOOP;
  RETURN NULL;
END;
$$;

CREATE OR REPLACE FUNCTION app.notify_calls_versioned() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE chunk text;
BEGIN
  FOR chunk IN
    SELECT string_agg(id::text || ':' || version::text, ',')
    FROM (SELECT n.id, n.version, row_number() OVER (ORDER BY n.id) - 1 AS k
          FROM changed n JOIN previous o ON o.id = n.id WHERE n.version <> o.version) c
    GROUP BY k / 400
  LOOP
    PERFORM pg_notify('call_changed', chunk);
  END LOOP;
  RETURN NULL;
END;
$$;

CREATE TRIGGER calls_notify_insert AFTER INSERT ON app.calls
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION app.notify_calls_inserted();
CREATE TRIGGER calls_notify_update AFTER UPDATE ON app.calls
  REFERENCING OLD TABLE AS previous NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION app.notify_calls_versioned();
