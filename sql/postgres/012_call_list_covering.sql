-- GET /calls' capped counts at a million calls (`npm run bench:calls -- --explain`,
-- docs/performance.md): a count reads every matching call up to 10,001, so the indexes below let
-- it decide from the index alone, without fetching 90,000 rows of app.calls to test one column.

-- A supervisor's queues with a status filter: `queue IN (…) OR queues && … AND status = …`. Both
-- arms of the BitmapOr carry the status, so only matching calls are read. btree_gin (a trusted
-- contrib extension) lets the array and the status share one GIN index.
CREATE EXTENSION IF NOT EXISTS btree_gin;
CREATE INDEX calls_queue_status_idx ON app.calls (queue, status, started_at, id);
CREATE INDEX calls_queues_status_idx ON app.calls USING gin (queues, status);

-- Notes search: the noted calls, newest first, with the notes in the index, so the ILIKE is
-- tested on an index-only scan.
DROP INDEX app.calls_noted_idx;
CREATE INDEX calls_noted_idx ON app.calls (started_at, id) INCLUDE (notes) WHERE notes IS NOT NULL;
