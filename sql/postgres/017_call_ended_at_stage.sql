-- The stage a call had reached when it ended (docs/reconciliation.md#ended-at-stage; reconciler
-- 1.3.0): ivr, refused, queue, ringing, voicemail, talk, service. NULL on calls derived before
-- 1.3.0 until POST /quality/rederive re-derives them, on provisional live cards, and on calls
-- rebuilt from CDR alone that nobody answered.
ALTER TABLE app.calls ADD COLUMN ended_at_stage text
  CHECK (ended_at_stage IN ('ivr', 'refused', 'queue', 'ringing', 'voicemail', 'talk', 'service'));

-- The journal's filter "ended at stage" (GET /calls?ended_at_stage=…) on the unanswered calls it
-- is for: a partial index keeps the answered majority (talk) out.
CREATE INDEX calls_ended_at_stage_idx ON app.calls (ended_at_stage, started_at DESC)
  WHERE ended_at_stage IS NOT NULL AND ended_at_stage <> 'talk';
