import { type ColumnDoc, ARROW_DICTIONARY as DICT, seconds, ARROW_TIMESTAMP as TS } from './column-doc.ts';

/**
 * The columns `/reports/facts` may return (the whitelist), in the table's order. `is_deleted` is
 * not offered (always 0 under FINAL).
 */
export const FACT_COLUMNS: Readonly<Record<string, ColumnDoc>> = {
  server_id: { clickhouse: 'LowCardinality(String)', arrow: DICT, unit: '', meaning: 'Asterisk server' },
  linkedid: {
    clickhouse: 'String',
    arrow: 'Utf8',
    unit: '',
    meaning: 'Asterisk linkedid (key with server_id)',
  },
  call_id: {
    clickhouse: 'UInt64',
    arrow: 'Uint64 (BigInt in JS)',
    unit: '',
    meaning: 'call card id (app.calls.id); only when asked for',
  },
  direction: {
    clickhouse: 'LowCardinality(String)',
    arrow: DICT,
    unit: '',
    meaning: 'inbound|outbound|internal',
  },
  status: {
    clickhouse: 'LowCardinality(String)',
    arrow: DICT,
    unit: '',
    meaning: 'answered|abandoned|missed|no_answer|busy|failed',
  },
  started_at: {
    clickhouse: "DateTime64(3, 'UTC')",
    arrow: TS,
    unit: 'ms since epoch',
    meaning: 'call start',
  },
  answered_at: {
    clickhouse: "Nullable(DateTime64(3, 'UTC'))",
    arrow: `${TS}, nullable`,
    unit: 'ms since epoch',
    meaning: 'first answer; null when unanswered',
  },
  ended_at: {
    clickhouse: "DateTime64(3, 'UTC')",
    arrow: TS,
    unit: 'ms since epoch',
    meaning: 'last hang-up',
  },
  duration_sec: seconds('duration_sec', 'ended_at − started_at'),
  wait_sec: seconds('wait_sec', 'start to answer (or end)'),
  queue_wait_sec: seconds('queue_wait_sec', 'first queue entry to answer/leave; null: no queue', true),
  talk_sec: seconds('talk_sec', 'talk minus hold, whole call'),
  hold_sec: seconds('hold_sec', 'time on hold, whole call'),
  src_number: { clickhouse: 'String', arrow: 'Utf8', unit: '', meaning: 'caller number as Asterisk saw it' },
  dst_number: { clickhouse: 'String', arrow: 'Utf8', unit: '', meaning: 'dialled number' },
  did: {
    clickhouse: 'LowCardinality(String)',
    arrow: DICT,
    unit: '',
    meaning: 'inbound: clinic number called',
  },
  queue: {
    clickhouse: 'LowCardinality(String)',
    arrow: DICT,
    unit: '',
    meaning: "first queue entered ('' none)",
  },
  operator: {
    clickhouse: 'LowCardinality(String)',
    arrow: DICT,
    unit: '',
    meaning: 'endpoint of the last operator (inbound) or the caller (outbound/internal)',
  },
  hung_up_by: {
    clickhouse: 'LowCardinality(String)',
    arrow: DICT,
    unit: '',
    meaning: 'customer|operator|system',
  },
  attempts: { clickhouse: 'UInt16', arrow: 'Uint16', unit: 'count', meaning: 'rings of operator phones' },
  missed_attempts: {
    clickhouse: 'UInt16',
    arrow: 'Uint16',
    unit: 'count',
    meaning: 'rings missed by operators',
  },
  transfers: { clickhouse: 'UInt8', arrow: 'Uint8', unit: 'count', meaning: 'transfers (capped at 255)' },
  has_recording: { clickhouse: 'UInt8', arrow: 'Uint8', unit: '0/1', meaning: 'a recording exists' },
  closed_by: {
    clickhouse: 'LowCardinality(String)',
    arrow: DICT,
    unit: '',
    meaning: 'linkedid_end|idle_timeout|end_of_input',
  },
  purpose: { clickhouse: 'LowCardinality(String)', arrow: DICT, unit: '', meaning: 'card: purpose' },
  category: { clickhouse: 'LowCardinality(String)', arrow: DICT, unit: '', meaning: 'card: category' },
  subcategory: { clickhouse: 'LowCardinality(String)', arrow: DICT, unit: '', meaning: 'card: sub-category' },
  needs_callback: { clickhouse: 'UInt8', arrow: 'Uint8', unit: '0/1', meaning: 'card: callback owed' },
  resolved_first_call: {
    clickhouse: 'Nullable(UInt8)',
    arrow: 'Uint8, nullable',
    unit: '0/1',
    meaning: 'card: resolved on this call; null not stated',
  },
  card_completed: { clickhouse: 'UInt8', arrow: 'Uint8', unit: '0/1', meaning: 'card completed' },
  reconciler_version: {
    clickhouse: 'LowCardinality(String)',
    arrow: DICT,
    unit: '',
    meaning: 'logic version that derived the call',
  },
  version: {
    clickhouse: 'UInt64',
    arrow: 'Uint64 (BigInt in JS)',
    unit: '',
    meaning: 'row version; only when asked for',
  },
};

/**
 * Columns returned when `columns` is not given: what the dashboard's client-side aggregation reads
 * (web/src/reports: operator, queue, category and daily reports), every dimension and measure.
 * Identifiers and phone numbers (`linkedid`, `call_id`, `src_number`, `dst_number`), the extra
 * timestamps and bookkeeping columns are high-cardinality text or unused there: at 1M facts they were
 * most of the bytes and pulled Arrow's advantage over JSON under 4× (npm run bench:api). Ask for
 * them with `columns=`.
 */
export const DEFAULT_FACT_COLUMNS: readonly string[] = [
  'server_id',
  'direction',
  'status',
  'started_at',
  'duration_sec',
  'wait_sec',
  'queue_wait_sec',
  'talk_sec',
  'hold_sec',
  'did',
  'queue',
  'operator',
  'hung_up_by',
  'attempts',
  'missed_attempts',
  'transfers',
  'has_recording',
  'purpose',
  'category',
  'subcategory',
  'needs_callback',
  'resolved_first_call',
  'card_completed',
];

/** Checks requested columns against {@link FACT_COLUMNS}; returns the unknown ones. */
export function unknownFactColumns(columns: readonly string[]): string[] {
  return columns.filter((name) => !Object.hasOwn(FACT_COLUMNS, name));
}
