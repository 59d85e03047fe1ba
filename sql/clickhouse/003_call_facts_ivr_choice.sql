-- call_facts.ivr_choice (docs/reconciliation.md#ivr-choice, reconciler 1.4.0): the caller's IVR
-- menu choice(s), `>`-joined ('3', '2>1', 't', 'i'; '' with no menu or no choice), added after
-- ended_at_stage (002). Calls shipped before get '' (the type's default) until POST
-- /quality/rederive re-derives and re-ships them. (`callcenter clickhouse ddl` prints the table with
-- the column; a cluster records this file as applied: docs/clickhouse-cluster.md.)
ALTER TABLE call_facts ADD COLUMN IF NOT EXISTS ivr_choice LowCardinality(String) AFTER ended_at_stage;
