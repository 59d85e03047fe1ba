-- Denormalized facts for reports and analysts, one row per call and one per operator attempt.
--
-- ReplacingMergeTree(version, is_deleted): the collector re-ships a call whenever it changes
-- (re-derivation, card edit) with a higher version; shipping the same version twice changes
-- nothing. Deduplication happens at merge time only, so read with FINAL (or argMax) and never
-- build an insert-triggered materialized view over these tables: re-shipping would double-count
-- (docs/architecture.md#known-sharp-edges).
--
-- ORDER BY holds only columns that never change for a call (its day, server and linkedid), so
-- every version of a call replaces the previous one; the date prefix serves the reports' time
-- ranges, skip indexes serve queue/operator filters. Durations are Float64 seconds and times
-- DateTime64(3, 'UTC'): no 64-bit integers reach the browser through Arrow (no BigInt).

CREATE TABLE IF NOT EXISTS call_facts
(
  server_id LowCardinality(String),
  linkedid String,
  call_id UInt64,
  direction LowCardinality(String),
  status LowCardinality(String),
  started_at DateTime64(3, 'UTC'),
  answered_at Nullable(DateTime64(3, 'UTC')),
  ended_at DateTime64(3, 'UTC'),
  duration_sec Float64,
  wait_sec Float64,
  queue_wait_sec Nullable(Float64),
  talk_sec Float64,
  hold_sec Float64,
  src_number String,
  dst_number String,
  did LowCardinality(String),
  queue LowCardinality(String),
  operator LowCardinality(String),
  hung_up_by LowCardinality(String),
  attempts UInt16,
  missed_attempts UInt16,
  transfers UInt8,
  has_recording UInt8,
  closed_by LowCardinality(String),
  purpose LowCardinality(String),
  category LowCardinality(String),
  subcategory LowCardinality(String),
  needs_callback UInt8,
  resolved_first_call Nullable(UInt8),
  card_completed UInt8,
  reconciler_version LowCardinality(String),
  version UInt64,
  is_deleted UInt8 DEFAULT 0,
  INDEX queue_idx queue TYPE set(0) GRANULARITY 4,
  INDEX operator_idx operator TYPE set(0) GRANULARITY 4
)
ENGINE = ReplacingMergeTree(version, is_deleted)
PARTITION BY toYYYYMM(started_at)
ORDER BY (toDate(started_at), server_id, linkedid);

CREATE TABLE IF NOT EXISTS attempt_facts
(
  server_id LowCardinality(String),
  linkedid String,
  seq UInt16,
  call_id UInt64,
  call_started_at DateTime64(3, 'UTC'),
  rang_at DateTime64(3, 'UTC'),
  operator LowCardinality(String),
  queue LowCardinality(String),
  ring_sec Float64,
  outcome LowCardinality(String),
  direction LowCardinality(String),
  call_status LowCardinality(String),
  version UInt64,
  is_deleted UInt8 DEFAULT 0,
  INDEX operator_idx operator TYPE set(0) GRANULARITY 4
)
ENGINE = ReplacingMergeTree(version, is_deleted)
PARTITION BY toYYYYMM(call_started_at)
ORDER BY (toDate(call_started_at), server_id, linkedid, seq);

-- One row per stretch of conversation between the customer side and one party (Call.segments):
-- the only correct source of talk and hold time per operator, since a transferred call splits
-- its talk between operators (call_facts.operator is the last operator only).
CREATE TABLE IF NOT EXISTS segment_facts
(
  server_id LowCardinality(String),
  linkedid String,
  seq UInt16,
  call_id UInt64,
  call_started_at DateTime64(3, 'UTC'),
  started_at DateTime64(3, 'UTC'),
  operator LowCardinality(String),
  queue LowCardinality(String),
  direction LowCardinality(String),
  talk_sec Float64,
  hold_sec Float64,
  version UInt64,
  is_deleted UInt8 DEFAULT 0,
  INDEX operator_idx operator TYPE set(0) GRANULARITY 4
)
ENGINE = ReplacingMergeTree(version, is_deleted)
PARTITION BY toYYYYMM(call_started_at)
ORDER BY (toDate(call_started_at), server_id, linkedid, seq);
