-- The callback work list (GET /callbacks, docs/metrics.md#callbacks-owed) matches calls by the
-- customer's number as E.164. Normalisation is libphonenumber-js, in the API's JavaScript; it
-- used to normalise every distinct number of app.calls on every request (a scan of all calls,
-- then a join on an expression no index served: 63 s at 2,000 calls).
--
-- Every customer number ever stored (an inbound call's src_number, an outbound call's
-- dst_number), with its E.164 form once the API has normalised it (`normalised`; e164 stays
-- NULL for a number that is no phone number). A trigger adds new numbers in the transaction that
-- writes the call; the API normalises the pending ones before it reads the list. Normalisation
-- is a pure function of the raw text, so a row, once normalised, never changes.
CREATE TABLE app.customer_numbers (
  raw text PRIMARY KEY,
  e164 text,
  normalised boolean NOT NULL DEFAULT false
);
CREATE INDEX customer_numbers_e164_idx ON app.customer_numbers (e164, raw) WHERE e164 IS NOT NULL;
CREATE INDEX customer_numbers_pending_idx ON app.customer_numbers (raw) WHERE NOT normalised;

CREATE OR REPLACE FUNCTION app.customer_numbers_written() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO app.customer_numbers (raw)
  SELECT DISTINCT CASE WHEN direction = 'outbound' THEN dst_number ELSE src_number END
  FROM changed
  WHERE direction IN ('inbound', 'outbound')
    AND CASE WHEN direction = 'outbound' THEN dst_number ELSE src_number END IS NOT NULL
  ON CONFLICT DO NOTHING;
  RETURN NULL;
END;
$$;

CREATE TRIGGER calls_customer_numbers_insert AFTER INSERT ON app.calls
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION app.customer_numbers_written();
CREATE TRIGGER calls_customer_numbers_update AFTER UPDATE ON app.calls
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION app.customer_numbers_written();

-- Numbers of calls collected before this migration.
INSERT INTO app.customer_numbers (raw)
SELECT DISTINCT CASE WHEN direction = 'outbound' THEN dst_number ELSE src_number END
FROM app.calls
WHERE direction IN ('inbound', 'outbound')
  AND CASE WHEN direction = 'outbound' THEN dst_number ELSE src_number END IS NOT NULL;

-- "Reached again": the first answered call of a number after a given moment, one ordered probe
-- per (number, direction).
CREATE INDEX calls_answered_inbound_src_idx ON app.calls (src_number, started_at, id)
  WHERE direction = 'inbound' AND status = 'answered';
CREATE INDEX calls_answered_outbound_dst_idx ON app.calls (dst_number, started_at, id)
  WHERE direction = 'outbound' AND status = 'answered';
