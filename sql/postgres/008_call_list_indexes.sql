-- GET /calls at contact-centre volume (`npm run bench:api`: 1,000,000 calls, 50 clients).
-- EXPLAIN per query shape of `npm run bench:api` showed whole-table sorts for the journal's
-- sortable columns (~1 s each at 1M calls) and a full scan for the callback filter (~170 ms).
-- Keyset order is (sort column, id), so each index carries the id as its tiebreak.
CREATE INDEX calls_duration_idx ON app.calls (duration_sec, id);
CREATE INDEX calls_talk_idx ON app.calls (talk_sec, id);
CREATE INDEX calls_wait_idx ON app.calls (wait_sec, id);
-- The callback work list is a few per cent of the calls: a partial index costs writes only there.
CREATE INDEX calls_needs_callback_idx ON app.calls (started_at, id) WHERE needs_callback;
