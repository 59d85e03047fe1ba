-- call_facts.ended_at_stage (docs/reconciliation.md#ended-at-stage, reconciler 1.3.0): the stage
-- the call had reached when it ended, added after hung_up_by to the table 001_facts created. Calls
-- shipped before get '' (the type's default) until POST /quality/rederive re-derives and re-ships
-- them. (`callcenter clickhouse ddl` prints the table with the column; a cluster records this file
-- as applied: docs/clickhouse-cluster.md.)
ALTER TABLE call_facts ADD COLUMN IF NOT EXISTS ended_at_stage LowCardinality(String) AFTER hung_up_by;
