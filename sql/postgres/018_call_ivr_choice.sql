-- The caller's IVR menu choice(s) (docs/reconciliation.md#ivr-choice; reconciler 1.4.0): the
-- extension its channel moved to from each WaitExten/BackGround menu, joined by '>' ('3', '2>1';
-- 't' timeout, 'i' invalid). NULL with no menu or no choice made, on calls derived before 1.4.0
-- until POST /quality/rederive re-derives them, on provisional live cards and CDR-only calls.
ALTER TABLE app.calls ADD COLUMN ivr_choice text CHECK (char_length(ivr_choice) BETWEEN 1 AND 200);

-- The DID report's drill-down (GET /calls?did=…&ivr_choice=…).
CREATE INDEX calls_ivr_choice_idx ON app.calls (ivr_choice, started_at DESC) WHERE ivr_choice IS NOT NULL;
