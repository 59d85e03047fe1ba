-- GET /calls at a million calls and 50 clients (`npm run bench:calls`, docs/performance.md).
--
-- Who took part in a call, one row per (call, operator endpoint): the call's operator, every
-- endpoint rung for it (call_attempts) and every endpoint on one of its legs (call_segments). The
-- operator's scope (docs/roles.md#scope) is "a participant row with my endpoint": one index probe
-- per call, or one index range per operator, where `operator_endpoint = $1 OR EXISTS (attempts …)`
-- could use no index at all and hashed all of an operator's attempts for every page.
--
-- Kept by triggers, so every writer (the collector's COPY, re-derivations, merges, live
-- provisional cards, manual calls) updates it in the transaction that writes the call; a deleted
-- call takes its rows with it (ON DELETE CASCADE). started_at is the call's, kept in step too.
CREATE TABLE app.call_participants (
  call_id bigint NOT NULL REFERENCES app.calls (id) ON DELETE CASCADE,
  server_id text NOT NULL,
  endpoint text NOT NULL,
  started_at timestamptz NOT NULL,
  PRIMARY KEY (call_id, endpoint)
);
-- One operator's calls, newest first (covering: the scope probe and the capped count read only it).
CREATE INDEX call_participants_endpoint_idx ON app.call_participants (server_id, endpoint, started_at, call_id);

-- The participant rows of `ids`, recomputed from app.calls, call_attempts and call_segments.
CREATE OR REPLACE FUNCTION app.refresh_call_participants(ids bigint[]) RETURNS void
LANGUAGE sql AS $$
  DELETE FROM app.call_participants WHERE call_id = ANY(ids);
  INSERT INTO app.call_participants (call_id, server_id, endpoint, started_at)
  SELECT DISTINCT c.id, c.server_id, e.endpoint, c.started_at
  FROM app.calls c
  CROSS JOIN LATERAL (
    SELECT c.operator_endpoint AS endpoint
    UNION SELECT a.operator_endpoint FROM app.call_attempts a WHERE a.call_id = c.id
    UNION SELECT s.operator_endpoint FROM app.call_segments s WHERE s.call_id = c.id
  ) e
  WHERE c.id = ANY(ids) AND e.endpoint IS NOT NULL;
$$;

-- New calls: their operator (attempts and segments arrive after the call row, below).
CREATE OR REPLACE FUNCTION app.participants_calls_inserted() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO app.call_participants (call_id, server_id, endpoint, started_at)
  SELECT id, server_id, operator_endpoint, started_at FROM changed WHERE operator_endpoint IS NOT NULL
  ON CONFLICT DO NOTHING;
  RETURN NULL;
END;
$$;

-- Updated calls whose operator, server or start moved: recomputed (an update that touches none of
-- them — a card edit, the shipper's bookkeeping — costs one join of the statement's rows).
CREATE OR REPLACE FUNCTION app.participants_calls_updated() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE moved bigint[];
BEGIN
  SELECT array_agg(n.id) INTO moved FROM changed n JOIN previous o ON o.id = n.id
  WHERE n.operator_endpoint IS DISTINCT FROM o.operator_endpoint
     OR n.server_id IS DISTINCT FROM o.server_id
     OR n.started_at IS DISTINCT FROM o.started_at;
  IF moved IS NOT NULL THEN PERFORM app.refresh_call_participants(moved); END IF;
  RETURN NULL;
END;
$$;

-- New attempt or segment rows: their endpoints join the call's participants.
CREATE OR REPLACE FUNCTION app.participants_children_inserted() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO app.call_participants (call_id, server_id, endpoint, started_at)
  SELECT DISTINCT c.id, c.server_id, n.operator_endpoint, c.started_at
  FROM changed n JOIN app.calls c ON c.id = n.call_id
  WHERE n.operator_endpoint IS NOT NULL
  ON CONFLICT DO NOTHING;
  RETURN NULL;
END;
$$;

-- Deleted or rewritten attempt or segment rows: the calls they belonged to are recomputed.
CREATE OR REPLACE FUNCTION app.participants_children_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE touched bigint[];
BEGIN
  SELECT array_agg(DISTINCT call_id) INTO touched FROM previous;
  IF touched IS NOT NULL THEN PERFORM app.refresh_call_participants(touched); END IF;
  RETURN NULL;
END;
$$;

CREATE TRIGGER calls_participants_insert AFTER INSERT ON app.calls
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION app.participants_calls_inserted();
CREATE TRIGGER calls_participants_update AFTER UPDATE ON app.calls
  REFERENCING OLD TABLE AS previous NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION app.participants_calls_updated();
CREATE TRIGGER call_attempts_participants_insert AFTER INSERT ON app.call_attempts
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION app.participants_children_inserted();
CREATE TRIGGER call_attempts_participants_update AFTER UPDATE ON app.call_attempts
  REFERENCING OLD TABLE AS previous FOR EACH STATEMENT EXECUTE FUNCTION app.participants_children_changed();
CREATE TRIGGER call_attempts_participants_delete AFTER DELETE ON app.call_attempts
  REFERENCING OLD TABLE AS previous FOR EACH STATEMENT EXECUTE FUNCTION app.participants_children_changed();
CREATE TRIGGER call_segments_participants_insert AFTER INSERT ON app.call_segments
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION app.participants_children_inserted();
CREATE TRIGGER call_segments_participants_update AFTER UPDATE ON app.call_segments
  REFERENCING OLD TABLE AS previous FOR EACH STATEMENT EXECUTE FUNCTION app.participants_children_changed();
CREATE TRIGGER call_segments_participants_delete AFTER DELETE ON app.call_segments
  REFERENCING OLD TABLE AS previous FOR EACH STATEMENT EXECUTE FUNCTION app.participants_children_changed();

-- Calls collected before this migration.
INSERT INTO app.call_participants (call_id, server_id, endpoint, started_at)
SELECT c.id, c.server_id, e.endpoint, c.started_at
FROM (SELECT id AS call_id, operator_endpoint AS endpoint FROM app.calls
      UNION SELECT call_id, operator_endpoint FROM app.call_attempts
      UNION SELECT call_id, operator_endpoint FROM app.call_segments) e
JOIN app.calls c ON c.id = e.call_id
WHERE e.endpoint IS NOT NULL;

-- Keyset pages in started_at order compare (started_at, id) row-wise: with the id in the index the
-- comparison is an index bound, 50 pages deep as on the first.
CREATE INDEX calls_started_at_id_idx ON app.calls (started_at, id);
DROP INDEX app.calls_started_at_idx;
-- Number search matches src_number or dst_number: both indexed, a BitmapOr of two probes.
CREATE INDEX calls_dst_number_idx ON app.calls (dst_number);
-- Supervisors' scope tests `queues && $1` (any queue the call went through): a GIN index answers it.
CREATE INDEX calls_queues_idx ON app.calls USING gin (queues);
-- Notes search (ILIKE '%…%' under the ICU collation, which trigram indexes do not serve on a
-- locale-C cluster) runs over the few calls that have notes, newest first.
CREATE INDEX calls_noted_idx ON app.calls (started_at, id) WHERE notes IS NOT NULL;
-- Category filter, newest first.
CREATE INDEX calls_category_idx ON app.calls (category_id, started_at, id) WHERE category_id IS NOT NULL;
-- The callback work list's owed calls: inbound missed or abandoned, oldest first.
CREATE INDEX calls_owed_idx ON app.calls (started_at, id)
  WHERE direction = 'inbound' AND status IN ('missed', 'abandoned');
