/**
 * The ClickHouse facts (call_facts, attempt_facts, segment_facts): columns with their ClickHouse
 * type, unit and meaning, skip indexes, engine and keys — the one definition that the DDL
 * (`factsDdl()`, checked against sql/clickhouse/001_facts.sql plus the columns later files add, by sql/test/facts-ddl.test.ts), the
 * cluster DDL (`clusterFactsDdl()`, `npx callcenter clickhouse ddl --cluster NAME`), the shipper's
 * rows and tombstones (`ingest/src/shipper/fact-rows.ts`) and the reports' column whitelist and
 * Arrow types (`analytics/src/clickhouse/fact-columns.ts`) are derived from.
 * Browser-safe: data only, no imports.
 *
 * Durations are Float64 seconds and times DateTime64(3, 'UTC'); dimensions absent for a call are
 * '' (LowCardinality columns are not Nullable). See docs/clickhouse-cluster.md for the keys.
 */

/** One column of a facts table. */
export interface FactColumnSpec {
  /** The ClickHouse type, as written in the DDL. */
  ch: string;
  /** `s` seconds, `ms since epoch`, `count`, `0/1`, or '' for text. */
  unit: string;
  meaning: string;
  /** DDL `DEFAULT` expression. */
  default?: string;
}

/** One facts table. */
export interface FactTableSpec {
  columns: Readonly<Record<string, FactColumnSpec>>;
  /** Skip indexes: `INDEX name expr TYPE type GRANULARITY g`. */
  indexes: readonly { name: string; expr: string; type: string; granularity: number }[];
  /** The local engine's name; its arguments are `engineArgs`. */
  engine: 'ReplacingMergeTree';
  engineArgs: readonly string[];
  partitionBy: string;
  /** The sorting key: only what never changes for a call (docs/clickhouse-cluster.md#cluster-ddl). */
  orderBy: readonly string[];
  /** The call's start column, the time the partition and the sorting key's day come from. */
  callStart: string;
}

const LC = 'LowCardinality(String)';
const TIME = "DateTime64(3, 'UTC')";
const SECONDS = 'Float64';
const VERSION = { ch: 'UInt64', unit: '', meaning: 'row version; only when asked for' };
const IS_DELETED = {
  ch: 'UInt8',
  unit: '0/1',
  meaning: 'tombstone: 1 hides the row under FINAL',
  default: '0',
};
const REPLACING = { engine: 'ReplacingMergeTree', engineArgs: ['version', 'is_deleted'] } as const;

const callFacts = {
  columns: {
    server_id: { ch: LC, unit: '', meaning: 'Asterisk server' },
    linkedid: { ch: 'String', unit: '', meaning: 'Asterisk linkedid (key with server_id)' },
    call_id: { ch: 'UInt64', unit: '', meaning: 'call card id (app.calls.id); only when asked for' },
    direction: { ch: LC, unit: '', meaning: 'inbound|outbound|internal' },
    status: { ch: LC, unit: '', meaning: 'answered|abandoned|missed|no_answer|busy|failed' },
    started_at: { ch: TIME, unit: 'ms since epoch', meaning: 'call start' },
    answered_at: {
      ch: `Nullable(${TIME})`,
      unit: 'ms since epoch',
      meaning: 'first answer; null when unanswered',
    },
    ended_at: { ch: TIME, unit: 'ms since epoch', meaning: 'last hang-up' },
    duration_sec: { ch: SECONDS, unit: 's', meaning: 'ended_at − started_at' },
    wait_sec: { ch: SECONDS, unit: 's', meaning: 'start to answer (or end)' },
    queue_wait_sec: {
      ch: `Nullable(${SECONDS})`,
      unit: 's',
      meaning: 'first queue entry to answer/leave; null: no queue',
    },
    talk_sec: { ch: SECONDS, unit: 's', meaning: 'talk minus hold, whole call' },
    hold_sec: { ch: SECONDS, unit: 's', meaning: 'time on hold, whole call' },
    src_number: { ch: 'String', unit: '', meaning: 'caller number as Asterisk saw it' },
    dst_number: { ch: 'String', unit: '', meaning: 'dialled number' },
    did: { ch: LC, unit: '', meaning: 'inbound: clinic number called' },
    queue: { ch: LC, unit: '', meaning: "first queue entered ('' none)" },
    operator: {
      ch: LC,
      unit: '',
      meaning: 'endpoint of the last operator (inbound) or the caller (outbound/internal)',
    },
    hung_up_by: { ch: LC, unit: '', meaning: 'customer|operator|system' },
    ended_at_stage: {
      ch: LC,
      unit: '',
      meaning:
        "stage reached when it ended: ivr|refused|queue|ringing|voicemail|talk|service ('' before reconciler 1.3.0)",
    },
    ivr_choice: {
      ch: LC,
      unit: '',
      meaning:
        "caller's IVR menu choice(s), '>'-joined: '3', '2>1', 't' timeout, 'i' invalid ('' no menu or no choice; before reconciler 1.4.0)",
    },
    attempts: { ch: 'UInt16', unit: 'count', meaning: 'rings of operator phones' },
    missed_attempts: { ch: 'UInt16', unit: 'count', meaning: 'rings missed by operators' },
    transfers: { ch: 'UInt8', unit: 'count', meaning: 'transfers (capped at 255)' },
    has_recording: { ch: 'UInt8', unit: '0/1', meaning: 'a recording exists' },
    closed_by: { ch: LC, unit: '', meaning: 'linkedid_end|idle_timeout|end_of_input' },
    purpose: { ch: LC, unit: '', meaning: 'card: purpose' },
    category: { ch: LC, unit: '', meaning: 'card: category' },
    subcategory: { ch: LC, unit: '', meaning: 'card: sub-category' },
    needs_callback: { ch: 'UInt8', unit: '0/1', meaning: 'card: callback owed' },
    resolved_first_call: {
      ch: 'Nullable(UInt8)',
      unit: '0/1',
      meaning: 'card: resolved on this call; null not stated',
    },
    card_completed: { ch: 'UInt8', unit: '0/1', meaning: 'card completed' },
    reconciler_version: { ch: LC, unit: '', meaning: 'logic version that derived the call' },
    version: VERSION,
    is_deleted: IS_DELETED,
  },
  indexes: [
    { name: 'queue_idx', expr: 'queue', type: 'set(0)', granularity: 4 },
    { name: 'operator_idx', expr: 'operator', type: 'set(0)', granularity: 4 },
  ],
  ...REPLACING,
  partitionBy: 'toYYYYMM(started_at)',
  orderBy: ['toDate(started_at)', 'server_id', 'linkedid'],
  callStart: 'started_at',
} as const satisfies FactTableSpec;

const attemptFacts = {
  columns: {
    server_id: { ch: LC, unit: '', meaning: 'Asterisk server' },
    linkedid: { ch: 'String', unit: '', meaning: 'the call’s linkedid' },
    seq: { ch: 'UInt16', unit: '', meaning: 'ring number within the call, from 0' },
    call_id: { ch: 'UInt64', unit: '', meaning: 'call card id (app.calls.id)' },
    call_started_at: { ch: TIME, unit: 'ms since epoch', meaning: 'the call’s start' },
    rang_at: { ch: TIME, unit: 'ms since epoch', meaning: 'the operator’s phone started ringing' },
    operator: { ch: LC, unit: '', meaning: 'endpoint rung' },
    queue: { ch: LC, unit: '', meaning: "queue that rang it ('' a direct call)" },
    ring_sec: { ch: SECONDS, unit: 's', meaning: 'ringing time' },
    outcome: { ch: LC, unit: '', meaning: 'answered|no_answer|busy|declined|canceled|…' },
    direction: { ch: LC, unit: '', meaning: 'the call’s direction' },
    call_status: { ch: LC, unit: '', meaning: 'the call’s status' },
    version: VERSION,
    is_deleted: IS_DELETED,
  },
  indexes: [{ name: 'operator_idx', expr: 'operator', type: 'set(0)', granularity: 4 }],
  ...REPLACING,
  partitionBy: 'toYYYYMM(call_started_at)',
  orderBy: ['toDate(call_started_at)', 'server_id', 'linkedid', 'seq'],
  callStart: 'call_started_at',
} as const satisfies FactTableSpec;

const segmentFacts = {
  columns: {
    server_id: { ch: LC, unit: '', meaning: 'Asterisk server' },
    linkedid: { ch: 'String', unit: '', meaning: 'the call’s linkedid' },
    seq: { ch: 'UInt16', unit: '', meaning: 'segment number within the call, from 0' },
    call_id: { ch: 'UInt64', unit: '', meaning: 'call card id (app.calls.id)' },
    call_started_at: { ch: TIME, unit: 'ms since epoch', meaning: 'the call’s start' },
    started_at: { ch: TIME, unit: 'ms since epoch', meaning: 'segment start' },
    operator: { ch: LC, unit: '', meaning: "the party talking to the customer side ('' not an operator)" },
    queue: { ch: LC, unit: '', meaning: 'the call’s first queue' },
    direction: { ch: LC, unit: '', meaning: 'the call’s direction' },
    talk_sec: { ch: SECONDS, unit: 's', meaning: 'talk minus hold in this segment' },
    hold_sec: { ch: SECONDS, unit: 's', meaning: 'hold in this segment' },
    version: VERSION,
    is_deleted: IS_DELETED,
  },
  indexes: [{ name: 'operator_idx', expr: 'operator', type: 'set(0)', granularity: 4 }],
  ...REPLACING,
  partitionBy: 'toYYYYMM(call_started_at)',
  orderBy: ['toDate(call_started_at)', 'server_id', 'linkedid', 'seq'],
  callStart: 'call_started_at',
} as const satisfies FactTableSpec;

/** The facts tables, in DDL order. */
export const FACT_TABLES = {
  call_facts: callFacts,
  attempt_facts: attemptFacts,
  segment_facts: segmentFacts,
} as const;

export type FactTableName = keyof typeof FACT_TABLES;
export type FactColumnName<T extends FactTableName> = keyof (typeof FACT_TABLES)[T]['columns'] & string;

/** The JS value a ClickHouse type takes in a JSONEachRow insert (times as ISO UTC strings). */
type JsonValue<C extends string> = C extends `Nullable(${infer Inner})`
  ? JsonValue<Inner> | null
  : C extends `DateTime64${string}` | 'String' | `LowCardinality(${string})`
    ? string
    : number;

type Columns<T extends FactTableName> = (typeof FACT_TABLES)[T]['columns'];

/** One row of a facts table as the shipper inserts it (JSONEachRow): typed from the spec. */
export type FactRow<T extends FactTableName> = {
  -readonly [K in keyof Columns<T>]: Columns<T>[K] extends { ch: infer C extends string }
    ? JsonValue<C>
    : never;
};

/** The sorting key of a call's rows in every facts table (ORDER BY day, server, linkedid). */
export interface FactKey {
  server_id: string;
  linkedid: string;
  /** The call's start, ISO UTC: the day of the sorting key. */
  started_at: string;
  call_id: number;
}

/**
 * A deleted row (`is_deleted = 1`) under `key`: the same sorting key as the row it hides, every
 * other column empty ('' / 0 / null, times = the call's start). `seq` for attempts and segments.
 */
export function tombstoneRow<T extends FactTableName>(
  table: T,
  key: FactKey,
  version: number,
  seq?: number,
): FactRow<T> {
  const row: Record<string, unknown> = {};
  for (const [name, column] of Object.entries(FACT_TABLES[table].columns as Record<string, FactColumnSpec>)) {
    row[name] = column.ch.startsWith('Nullable(')
      ? null
      : column.ch.startsWith('DateTime64')
        ? key.started_at
        : column.ch === 'String' || column.ch.startsWith('LowCardinality(')
          ? ''
          : 0;
  }
  row.server_id = key.server_id;
  row.linkedid = key.linkedid;
  row.call_id = key.call_id;
  if ('seq' in row) row.seq = seq ?? 0;
  row.version = version;
  row.is_deleted = 1;
  return row as FactRow<T>;
}
