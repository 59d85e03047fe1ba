-- Live provisional call cards (README.md, "Live calls"): while an operator's phone rings, the ARI source (or the
-- collector's CEL side) upserts an app.calls row with status 'ringing', reconciler_version and
-- derived_hash 'provisional' and version 0, so the screen-pop names a card id at once. The CEL-
-- derived call later UPDATEs that same row (found through app.call_linkedids).

-- Each operator rung for a provisional card gets an attempt with outcome 'ringing' (operators
-- see calls they were rung for); the reconciled attempts replace them.
ALTER TABLE app.call_attempts DROP CONSTRAINT call_attempts_outcome_check;
ALTER TABLE app.call_attempts ADD CONSTRAINT call_attempts_outcome_check
  CHECK (outcome IN ('answered', 'no_answer', 'busy', 'declined', 'canceled', 'ringing'));

-- The sweeper's scan: provisional cards whose CEL never came (a few rows at any time).
CREATE INDEX calls_provisional_idx ON app.calls (created_at) WHERE reconciler_version = 'provisional';

-- The screen-pop's caller history also lists the calls the centre made to that number.
CREATE INDEX calls_outbound_dst_number_idx ON app.calls (dst_number) WHERE direction = 'outbound';

-- One ring of an operator's phone, in one round trip (the screen-pop's latency budget is 100 ms at
-- 200 rings/s): find the card of (server, linkedid) through call_linkedids (locked), else insert
-- the provisional card and its linkedid; add the ring as a 'ringing' attempt of a provisional card;
-- NOTIFY call_live with `payload` completed by the card's id and provisional state — unless this
-- ring (operator channel) is on the card already: the other source announced it first, or the
-- CEL-derived call lists it. Concurrent rings of one call serialise on the card's row lock.
CREATE OR REPLACE FUNCTION app.ring_provisional_card(
  p_server_id text, p_linkedid text, p_channel_id text, p_endpoint text, p_direction text,
  p_caller text, p_did text, p_queue text, p_started_at timestamptz, p_rang_at timestamptz,
  p_payload jsonb,
  OUT call_id bigint, OUT provisional boolean, OUT created boolean, OUT announced boolean, OUT queue text)
LANGUAGE plpgsql AS $$
DECLARE
  v_version text;
BEGIN
  -- A provisional card is a hint, rebuilt from CEL anyway: its commit need not wait for the WAL
  -- flush. NOTIFYing transactions commit one at a time (Postgres serialises them on the
  -- notification queue), so a synchronous flush per ring caps rings at the disk's fsync rate.
  PERFORM set_config('synchronous_commit', 'off', true);
  created := false;
  SELECT c.id, c.reconciler_version, c.queue INTO call_id, v_version, queue
  FROM app.call_linkedids l JOIN app.calls c ON c.id = l.call_id
  WHERE l.server_id = p_server_id AND l.linkedid = p_linkedid
  FOR UPDATE OF c;
  IF call_id IS NULL THEN
    INSERT INTO app.calls (server_id, linkedid, uniqueid, linkedids, direction, status, started_at,
      src_number, dst_number, did, queue, queues, operator_endpoint, operator_id, reconciler_version,
      derived_hash, version)
    VALUES (p_server_id, p_linkedid, p_linkedid, ARRAY[p_linkedid], p_direction, 'ringing', p_started_at,
      p_caller, CASE WHEN p_direction = 'inbound' THEN p_did ELSE p_endpoint END, p_did, p_queue,
      CASE WHEN p_queue IS NULL THEN '{}'::text[] ELSE ARRAY[p_queue] END, p_endpoint,
      (SELECT o.id FROM app.operators o WHERE o.server_id = p_server_id AND o.endpoint = p_endpoint AND o.active),
      'provisional', 'provisional', 0)
    ON CONFLICT (server_id, linkedid) DO NOTHING
    RETURNING id INTO call_id;
    IF call_id IS NULL THEN
      -- Inserted meanwhile by the other source (or the collector): use that row.
      SELECT c.id, c.reconciler_version, c.queue INTO call_id, v_version, queue
      FROM app.calls c WHERE c.server_id = p_server_id AND c.linkedid = p_linkedid FOR UPDATE;
    ELSE
      created := true;
      v_version := 'provisional';
      queue := p_queue;
    END IF;
    INSERT INTO app.call_linkedids (server_id, linkedid, call_id) VALUES (p_server_id, p_linkedid, call_id)
    ON CONFLICT DO NOTHING;
  END IF;
  provisional := v_version = 'provisional';
  queue := COALESCE(p_queue, queue);
  IF EXISTS (SELECT 1 FROM app.call_attempts a WHERE a.call_id = ring_provisional_card.call_id
             AND a.uniqueid = p_channel_id) THEN
    announced := false;
    RETURN;
  END IF;
  IF provisional THEN
    INSERT INTO app.call_attempts (call_id, seq, operator_endpoint, operator_id, queue, rang_at, ring_sec,
      outcome, uniqueid)
    VALUES (call_id,
      COALESCE((SELECT max(a.seq) + 1 FROM app.call_attempts a WHERE a.call_id = ring_provisional_card.call_id), 0),
      p_endpoint,
      (SELECT o.id FROM app.operators o WHERE o.server_id = p_server_id AND o.endpoint = p_endpoint AND o.active),
      p_queue, p_rang_at, 0, 'ringing', p_channel_id);
  END IF;
  PERFORM pg_notify('call_live', jsonb_set(jsonb_set(jsonb_set(p_payload,
    '{call,id}', to_jsonb(call_id)), '{call,provisional}', to_jsonb(provisional)),
    '{call,queue}', COALESCE(to_jsonb(queue), 'null'::jsonb))::text);
  announced := true;
END;
$$;
