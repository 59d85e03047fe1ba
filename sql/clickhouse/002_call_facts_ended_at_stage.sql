-- call_facts.ended_at_stage (docs/reconciliation.md#ended-at-stage, reconciler 1.3.0) on a
-- database whose call_facts was created before the column was in 001_facts.sql. A database created
-- from the current 001 has it already: IF NOT EXISTS makes this a no-op there. Calls shipped before
-- get '' until POST /quality/rederive re-derives and re-ships them.
ALTER TABLE call_facts ADD COLUMN IF NOT EXISTS ended_at_stage LowCardinality(String) DEFAULT '' AFTER hung_up_by;
