-- GET /callbacks and GET /callbacks/worklist at a million calls (`npm run bench:calls`,
-- docs/performance.md; the rule in docs/metrics.md#callbacks-owed).
--
-- Which later call reached each callback candidate again, stored when the calls are written
-- instead of searched on every read. A candidate is a call that is inbound `missed` or
-- `abandoned`, or whose card says `needs_callback`. Its row holds the candidate's customer number
-- as E.164 (app.customer_numbers; NULL while that number is not normalised yet, or is no phone
-- number), the first LATER (by started_at, then id) answered inbound or outbound call, by anyone,
-- whose customer number has the same E.164 form — its id, start, direction and operator endpoint,
-- all NULL while nobody reached the customer — and `attempts`: the outbound calls to the number
-- after the candidate, answered or not, up to and including that reach (or up to now).
--
-- Kept by statement-level triggers (like app.call_participants, 010), so every writer of calls
-- — the collector's COPY, re-derivations, merges, live provisional cards, manual calls — updates
-- it in the transaction that writes the calls, in any order: a call written after a LATER call
-- that reaches it finds that call itself; a call written, moved, re-derived or deleted recomputes
-- every candidate of its number whose reach it may change (earlier than it, not reached before
-- it). Normalisation is libphonenumber-js in the API (011): when the API fills in a number's
-- E.164 form, the candidates of that number and of that E.164 form are recomputed in the same
-- statement, so the links always equal their definition over the normalised numbers.
--
-- Writers that touch a candidate of a normalised number take one transaction-level advisory lock
-- first (app.lock_callback_links below): two transactions writing a missed call and the call that reaches it
-- at the same time would otherwise each miss the other's uncommitted row.
CREATE TABLE app.callback_links (
  call_id bigint PRIMARY KEY REFERENCES app.calls (id) ON DELETE CASCADE,
  -- The candidate's own fields that the lists filter on (scope, docs/roles.md#scope, and why it
  -- is listed), copied so counting an operator's candidates reads no app.calls row.
  server_id text NOT NULL,
  queue text,
  queues text[] NOT NULL,
  needs_callback boolean NOT NULL,
  started_at timestamptz NOT NULL,
  e164 text,
  reached_call_id bigint,
  reached_at timestamptz,
  reached_direction text,
  reached_operator text,
  attempts integer NOT NULL DEFAULT 0
);
-- The candidates of one number whose reach a call at a given time may change.
CREATE INDEX callback_links_e164_idx ON app.callback_links (e164, started_at) WHERE e164 IS NOT NULL;
-- A reaching call's candidates (it is moved, re-derived or deleted).
CREATE INDEX callback_links_reached_idx ON app.callback_links (reached_call_id) WHERE reached_call_id IS NOT NULL;
-- The worklist's period of lost calls.
CREATE INDEX callback_links_started_idx ON app.callback_links (started_at, call_id);

-- The link rows of `ids`, recomputed from app.calls and app.customer_numbers: a call that is no
-- longer a candidate (or no longer exists) loses its row.
CREATE OR REPLACE FUNCTION app.refresh_callback_links(ids bigint[]) RETURNS void
LANGUAGE sql AS $$
  DELETE FROM app.callback_links WHERE call_id = ANY(ids);
  INSERT INTO app.callback_links
    (call_id, server_id, queue, queues, needs_callback, started_at, e164,
     reached_call_id, reached_at, reached_direction, reached_operator, attempts)
  SELECT c.id, c.server_id, c.queue, c.queues, c.needs_callback, c.started_at, n.e164, r.id, r.started_at, r.direction, r.operator_endpoint,
         COALESCE(a.attempts, 0)
  FROM app.calls c
  LEFT JOIN app.customer_numbers n
    ON c.direction <> 'internal'
   AND n.raw = (CASE WHEN c.direction = 'outbound' THEN c.dst_number ELSE c.src_number END)
  -- Per raw form of the E.164 number, the first later answered inbound call from it and outbound
  -- call to it (ordered probes of the partial indexes of 011), and the earliest of those.
  LEFT JOIN LATERAL (
    SELECT x.id, x.direction, x.started_at, x.operator_endpoint
    FROM app.customer_numbers rn
    CROSS JOIN LATERAL (
      (SELECT y.id, y.direction, y.started_at, y.operator_endpoint FROM app.calls y
       WHERE y.direction = 'inbound' AND y.status = 'answered' AND y.src_number = rn.raw
         AND y.started_at > c.started_at AND y.id <> c.id
       ORDER BY y.started_at, y.id LIMIT 1)
      UNION ALL
      (SELECT y.id, y.direction, y.started_at, y.operator_endpoint FROM app.calls y
       WHERE y.direction = 'outbound' AND y.status = 'answered' AND y.dst_number = rn.raw
         AND y.started_at > c.started_at AND y.id <> c.id
       ORDER BY y.started_at, y.id LIMIT 1)
    ) x
    WHERE n.e164 IS NOT NULL AND rn.e164 = n.e164
    ORDER BY x.started_at, x.id
    LIMIT 1
  ) r ON true
  -- Outbound calls to the number after the candidate, up to and including the reach.
  LEFT JOIN LATERAL (
    SELECT count(*)::integer AS attempts
    FROM app.customer_numbers an
    JOIN app.calls y ON y.dst_number = an.raw AND y.direction = 'outbound'
    WHERE n.e164 IS NOT NULL AND an.e164 = n.e164
      AND y.started_at > c.started_at AND y.id <> c.id
      AND (r.id IS NULL OR y.started_at <= r.started_at)
  ) a ON true
  WHERE c.id = ANY(ids)
    AND (c.needs_callback OR (c.direction = 'inbound' AND c.status IN ('missed', 'abandoned')));
$$;

-- The lock every writer of links takes (one transaction-level advisory lock; the key is arbitrary).
CREATE OR REPLACE FUNCTION app.lock_callback_links() RETURNS void
LANGUAGE sql AS $$ SELECT pg_advisory_xact_lock(6361696) $$;

-- The candidates whose link written versions of calls may change, themselves (`self`) included,
-- recomputed. A version (a call's row before or after the statement: `v_id`, its customer number
-- `v_raw`, its start `v_at`) matters to others only when it is answered or outbound (only those
-- reach or count as attempts; the callers pass only those): the candidates of its E.164 number
-- that started before it and were not reached before it, and those it reached. The numbers'
-- E.164 forms are read after the lock, so a normalisation committed meanwhile is seen.
CREATE OR REPLACE FUNCTION app.callback_links_follow(
  self bigint[], v_id bigint[], v_raw text[], v_at timestamptz[]
) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE touched bigint[];
BEGIN
  IF self IS NULL AND v_id IS NULL THEN RETURN; END IF;
  PERFORM app.lock_callback_links();
  WITH v AS (
    SELECT v.id, n.e164, v.started_at
    FROM unnest(v_id, v_raw, v_at) AS v(id, raw, started_at)
    JOIN app.customer_numbers n ON n.raw = v.raw AND n.e164 IS NOT NULL
  )
  SELECT array_agg(DISTINCT x.id) INTO touched FROM (
    SELECT unnest(self) AS id
    UNION ALL
    SELECT l.call_id FROM v
    JOIN app.callback_links l ON l.e164 = v.e164 AND l.started_at < v.started_at
    WHERE l.reached_at IS NULL OR l.reached_at >= v.started_at
    UNION ALL
    SELECT l.call_id FROM v JOIN app.callback_links l ON l.reached_call_id = v.id
  ) x WHERE x.id IS NOT NULL;
  IF touched IS NOT NULL THEN PERFORM app.refresh_callback_links(touched); END IF;
END;
$$;

CREATE OR REPLACE FUNCTION app.callback_links_calls_inserted() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE self bigint[]; v_id bigint[]; v_raw text[]; v_at timestamptz[];
BEGIN
  SELECT array_agg(id) FILTER (WHERE needs_callback OR (direction = 'inbound' AND status IN ('missed', 'abandoned')))
  INTO self FROM changed;
  SELECT array_agg(id), array_agg(raw), array_agg(started_at) INTO v_id, v_raw, v_at
  FROM (SELECT id, started_at, CASE WHEN direction = 'outbound' THEN dst_number ELSE src_number END AS raw
        FROM changed
        WHERE direction IN ('inbound', 'outbound') AND (status = 'answered' OR direction = 'outbound')) v
  WHERE raw IS NOT NULL;
  PERFORM app.callback_links_follow(self, v_id, v_raw, v_at);
  RETURN NULL;
END;
$$;

-- Updated calls: only those whose direction, status, start, numbers, operator, needs_callback,
-- server or queues changed (a card's notes, the shipper's bookkeeping cost one join of the
-- statement's rows); both their old and new versions matter.
CREATE OR REPLACE FUNCTION app.callback_links_calls_updated() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE self bigint[]; v_id bigint[]; v_raw text[]; v_at timestamptz[];
BEGIN
  WITH moved AS (
    SELECT n.id, o AS before, n AS after FROM changed n JOIN previous o ON o.id = n.id
    WHERE n.direction IS DISTINCT FROM o.direction OR n.status IS DISTINCT FROM o.status
       OR n.started_at IS DISTINCT FROM o.started_at OR n.src_number IS DISTINCT FROM o.src_number
       OR n.dst_number IS DISTINCT FROM o.dst_number
       OR n.operator_endpoint IS DISTINCT FROM o.operator_endpoint
       OR n.needs_callback IS DISTINCT FROM o.needs_callback
       OR n.server_id IS DISTINCT FROM o.server_id OR n.queue IS DISTINCT FROM o.queue
       OR n.queues IS DISTINCT FROM o.queues
  ),
  each_version AS (
    SELECT (before).id, (before).direction, (before).status, (before).started_at,
           CASE WHEN (before).direction = 'outbound' THEN (before).dst_number ELSE (before).src_number END AS raw
    FROM moved
    UNION ALL
    SELECT (after).id, (after).direction, (after).status, (after).started_at,
           CASE WHEN (after).direction = 'outbound' THEN (after).dst_number ELSE (after).src_number END AS raw
    FROM moved
  )
  SELECT (SELECT array_agg(id) FROM moved),
         (SELECT array_agg(e.id ORDER BY e.id, e.started_at, e.raw) FROM each_version e
          WHERE e.direction IN ('inbound', 'outbound') AND (e.status = 'answered' OR e.direction = 'outbound') AND e.raw IS NOT NULL),
         (SELECT array_agg(e.raw ORDER BY e.id, e.started_at, e.raw) FROM each_version e
          WHERE e.direction IN ('inbound', 'outbound') AND (e.status = 'answered' OR e.direction = 'outbound') AND e.raw IS NOT NULL),
         (SELECT array_agg(e.started_at ORDER BY e.id, e.started_at, e.raw) FROM each_version e
          WHERE e.direction IN ('inbound', 'outbound') AND (e.status = 'answered' OR e.direction = 'outbound') AND e.raw IS NOT NULL)
  INTO self, v_id, v_raw, v_at;
  PERFORM app.callback_links_follow(self, v_id, v_raw, v_at);
  RETURN NULL;
END;
$$;

-- Deleted calls: their own rows go by ON DELETE CASCADE; the candidates they reached or were
-- attempts for are recomputed.
CREATE OR REPLACE FUNCTION app.callback_links_calls_deleted() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE v_id bigint[]; v_raw text[]; v_at timestamptz[];
BEGIN
  SELECT array_agg(id), array_agg(raw), array_agg(started_at) INTO v_id, v_raw, v_at
  FROM (SELECT id, started_at, CASE WHEN direction = 'outbound' THEN dst_number ELSE src_number END AS raw
        FROM previous
        WHERE direction IN ('inbound', 'outbound') AND (status = 'answered' OR direction = 'outbound')) v
  WHERE raw IS NOT NULL;
  PERFORM app.callback_links_follow(NULL, v_id, v_raw, v_at);
  RETURN NULL;
END;
$$;

-- A number gets its E.164 form (the API normalises pending numbers, 011): the candidates with
-- that raw number, and every candidate of that E.164 number (a newly known form may reach them).
CREATE OR REPLACE FUNCTION app.callback_links_numbers_written() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE touched bigint[];
BEGIN
  IF NOT EXISTS (SELECT 1 FROM changed WHERE e164 IS NOT NULL) THEN RETURN NULL; END IF;
  PERFORM app.lock_callback_links();
  SELECT array_agg(DISTINCT x.id) INTO touched FROM (
    SELECT c.id FROM changed n JOIN app.calls c ON c.src_number = n.raw
    WHERE n.e164 IS NOT NULL AND c.direction = 'inbound'
      AND (c.needs_callback OR c.status IN ('missed', 'abandoned'))
    UNION ALL
    SELECT c.id FROM changed n JOIN app.calls c ON c.dst_number = n.raw
    WHERE n.e164 IS NOT NULL AND c.direction = 'outbound' AND c.needs_callback
    UNION ALL
    SELECT l.call_id FROM (SELECT DISTINCT e164 FROM changed WHERE e164 IS NOT NULL) n
    JOIN app.callback_links l ON l.e164 = n.e164
  ) x;
  IF touched IS NOT NULL THEN PERFORM app.refresh_callback_links(touched); END IF;
  RETURN NULL;
END;
$$;

CREATE TRIGGER calls_callback_links_insert AFTER INSERT ON app.calls
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION app.callback_links_calls_inserted();
CREATE TRIGGER calls_callback_links_update AFTER UPDATE ON app.calls
  REFERENCING OLD TABLE AS previous NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION app.callback_links_calls_updated();
CREATE TRIGGER calls_callback_links_delete AFTER DELETE ON app.calls
  REFERENCING OLD TABLE AS previous FOR EACH STATEMENT EXECUTE FUNCTION app.callback_links_calls_deleted();
CREATE TRIGGER customer_numbers_callback_links_insert AFTER INSERT ON app.customer_numbers
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION app.callback_links_numbers_written();
CREATE TRIGGER customer_numbers_callback_links_update AFTER UPDATE ON app.customer_numbers
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION app.callback_links_numbers_written();

-- The calls collected before this migration.
SELECT app.refresh_callback_links(ARRAY(
  SELECT id FROM app.calls
  WHERE needs_callback OR (direction = 'inbound' AND status IN ('missed', 'abandoned'))));
ANALYZE app.callback_links;
