/**
 * The call's fields as `app.calls` columns (sql/postgres/001_core.sql, 007_live_provisional_calls.sql):
 * the one definition the kysely table type (`@callcenter/platform/database`), the API's zod
 * schemas (`api/src/routes/calls/call-schemas.ts`) and the schema test
 * (`platform/test/call-schema.test.ts`, against the migrated database) are derived from.
 * Browser-safe: data only, no imports.
 *
 * Adding or changing a column: add a migration under sql/postgres/ and change the entry here; the
 * test fails until the two agree (type and nullability of every column, the CHECK value lists).
 */

/** The Postgres types `app.calls` uses. */
export type PgType =
  | 'text'
  | 'text[]'
  | 'bigint'
  | 'integer'
  | 'double precision'
  | 'boolean'
  | 'timestamptz';

/** One column of `app.calls`. */
export interface CallColumnSpec {
  pg: PgType;
  /** NULL allowed (no NOT NULL). */
  nullable: boolean;
  /**
   * How a writer may leave it out (kysely's column types): `generated` = has a DEFAULT that
   * inserts may omit (`Generated<T>`); `created` = set once by its DEFAULT, never updated.
   */
  insert?: 'generated' | 'created';
  /** The only values its CHECK constraint allows. */
  values?: readonly string[];
  /**
   * Who writes it (docs/architecture.md, "Every source of truth has one writer"): `derived` = the
   * collector's reconciler, `card` = people through the API, `bookkeeping` = the database and the
   * shipper.
   */
  owner: 'derived' | 'card' | 'bookkeeping';
  /** Meaning, unit (seconds, UTC) and source of the rule (docs/reconciliation.md, docs/metrics.md). */
  doc: string;
}

/** Call states (docs/reconciliation.md#call-status); `ringing` only on provisional live cards. */
export const CALL_STATUSES = [
  'ringing',
  'answered',
  'abandoned',
  'missed',
  'no_answer',
  'busy',
  'failed',
] as const;
/** Call directions (docs/reconciliation.md#direction). */
export const CALL_DIRECTIONS = ['inbound', 'outbound', 'internal'] as const;
/** Where a call had got to when it ended (docs/reconciliation.md#ended-at-stage). */
export const CALL_ENDED_AT_STAGES = [
  'ivr',
  'refused',
  'queue',
  'ringing',
  'voicemail',
  'talk',
  'service',
] as const;
export type CallStatus = (typeof CALL_STATUSES)[number];
export type CallEndedAtStage = (typeof CALL_ENDED_AT_STAGES)[number];
export type CallDirection = (typeof CALL_DIRECTIONS)[number];

/** `app.calls`, every column in table order. */
export const CALL_COLUMNS = {
  id: { pg: 'bigint', nullable: false, insert: 'generated', owner: 'bookkeeping', doc: 'the call card id' },
  server_id: { pg: 'text', nullable: false, owner: 'derived', doc: 'the Asterisk server the call came from' },
  linkedid: {
    pg: 'text',
    nullable: false,
    owner: 'derived',
    doc: 'Asterisk linkedid of the call (the key with server_id)',
  },
  uniqueid: { pg: 'text', nullable: false, owner: 'derived', doc: 'uniqueid of the call’s first channel' },
  linkedids: {
    pg: 'text[]',
    nullable: false,
    owner: 'derived',
    doc: 'every linkedid grouped into this call (transfers join linkedids: docs/reconciliation.md#call-grouping)',
  },
  direction: {
    pg: 'text',
    nullable: false,
    values: CALL_DIRECTIONS,
    owner: 'derived',
    doc: 'inbound|outbound|internal',
  },
  status: {
    pg: 'text',
    nullable: false,
    values: CALL_STATUSES,
    owner: 'derived',
    doc: 'answered|abandoned|missed|no_answer|busy|failed (ringing: a provisional live card)',
  },
  started_at: { pg: 'timestamptz', nullable: false, owner: 'derived', doc: 'call start (UTC)' },
  answered_at: {
    pg: 'timestamptz',
    nullable: true,
    owner: 'derived',
    doc: 'first answer (UTC); null when unanswered',
  },
  ended_at: { pg: 'timestamptz', nullable: true, owner: 'derived', doc: 'last hang-up (UTC)' },
  duration_sec: {
    pg: 'double precision',
    nullable: false,
    owner: 'derived',
    doc: 'ended_at − started_at, seconds',
  },
  wait_sec: {
    pg: 'double precision',
    nullable: false,
    owner: 'derived',
    doc: 'start to answer (or end), seconds',
  },
  queue_wait_sec: {
    pg: 'double precision',
    nullable: true,
    owner: 'derived',
    doc: 'first queue entry to answer/leave, seconds; null: no queue',
  },
  talk_sec: {
    pg: 'double precision',
    nullable: false,
    owner: 'derived',
    doc: 'talk minus hold, whole call, seconds',
  },
  hold_sec: {
    pg: 'double precision',
    nullable: false,
    owner: 'derived',
    doc: 'time on hold, whole call, seconds',
  },
  src_number: { pg: 'text', nullable: true, owner: 'derived', doc: 'caller number as Asterisk saw it' },
  dst_number: { pg: 'text', nullable: true, owner: 'derived', doc: 'dialled number' },
  did: { pg: 'text', nullable: true, owner: 'derived', doc: 'inbound: the number called (DID)' },
  queue: { pg: 'text', nullable: true, owner: 'derived', doc: 'first queue entered' },
  queues: { pg: 'text[]', nullable: false, owner: 'derived', doc: 'every queue entered, in order' },
  operator_endpoint: {
    pg: 'text',
    nullable: true,
    owner: 'derived',
    doc: 'endpoint of the last operator (inbound) or the caller (outbound/internal)',
  },
  operator_id: {
    pg: 'bigint',
    nullable: true,
    owner: 'derived',
    doc: 'app.operators id of operator_endpoint',
  },
  hung_up_by: { pg: 'text', nullable: true, owner: 'derived', doc: 'customer|operator|system' },
  recording_path: {
    pg: 'text',
    nullable: true,
    owner: 'derived',
    doc: 'MixMonitor file, relative to RECORDINGS_DIR',
  },
  recordings: { pg: 'text[]', nullable: false, owner: 'derived', doc: 'every recording of the call' },
  closed_by: { pg: 'text', nullable: true, owner: 'derived', doc: 'linkedid_end|idle_timeout|end_of_input' },
  flags: {
    pg: 'text[]',
    nullable: false,
    owner: 'derived',
    doc: 'reconciler notes (docs/reconciliation.md)',
  },
  reconciler_version: {
    pg: 'text',
    nullable: false,
    owner: 'derived',
    doc: 'logic version that derived the call (provisional: a live card)',
  },
  derived_hash: {
    pg: 'text',
    nullable: false,
    owner: 'bookkeeping',
    doc: 'sha256 of the derived fields: an unchanged re-derivation writes and ships nothing',
  },
  version: {
    pg: 'bigint',
    nullable: false,
    insert: 'generated',
    owner: 'bookkeeping',
    doc: 'bumped on every change (derived or card): the facts’ ReplacingMergeTree version',
  },
  shipped_attempts: {
    pg: 'integer',
    nullable: false,
    insert: 'generated',
    owner: 'bookkeeping',
    doc: 'attempt rows last shipped to ClickHouse',
  },
  shipped_segments: {
    pg: 'integer',
    nullable: false,
    insert: 'generated',
    owner: 'bookkeeping',
    doc: 'segment rows last shipped to ClickHouse',
  },
  shipped_started_at: {
    pg: 'timestamptz',
    nullable: true,
    owner: 'bookkeeping',
    doc: 'started_at last shipped (a moved day tombstones the old rows)',
  },
  purpose_id: { pg: 'bigint', nullable: true, owner: 'card', doc: 'card: purpose (app.call_purposes)' },
  category_id: { pg: 'bigint', nullable: true, owner: 'card', doc: 'card: category (app.call_categories)' },
  subcategory_id: {
    pg: 'bigint',
    nullable: true,
    owner: 'card',
    doc: 'card: sub-category (app.call_subcategories)',
  },
  notes: { pg: 'text', nullable: true, owner: 'card', doc: 'card: notes' },
  needs_callback: {
    pg: 'boolean',
    nullable: false,
    insert: 'generated',
    owner: 'card',
    doc: 'card: callback owed',
  },
  resolved_first_call: {
    pg: 'boolean',
    nullable: true,
    owner: 'card',
    doc: 'card: resolved on this call; null not stated',
  },
  card_completed_at: { pg: 'timestamptz', nullable: true, owner: 'card', doc: 'card marked complete (UTC)' },
  card_updated_at: { pg: 'timestamptz', nullable: true, owner: 'card', doc: 'last card edit (UTC)' },
  card_updated_by: { pg: 'text', nullable: true, owner: 'card', doc: 'login of the last card editor' },
  created_at: {
    pg: 'timestamptz',
    nullable: false,
    insert: 'created',
    owner: 'bookkeeping',
    doc: 'row created (UTC)',
  },
  updated_at: {
    pg: 'timestamptz',
    nullable: false,
    insert: 'generated',
    owner: 'bookkeeping',
    doc: 'row last changed (UTC)',
  },
  ended_at_stage: {
    pg: 'text',
    nullable: true,
    values: CALL_ENDED_AT_STAGES,
    owner: 'derived',
    doc: 'stage the call had reached when it ended: ivr|refused|queue|ringing|voicemail|talk|service (docs/reconciliation.md#ended-at-stage); null before reconciler 1.3.0, on provisional cards and unanswered CDR-only calls',
  },
  ivr_choice: {
    pg: 'text',
    nullable: true,
    owner: 'derived',
    doc: "the caller's IVR menu choice(s): the extension its channel moved to from each WaitExten/BackGround menu, joined by '>' ('3', '2>1'; 't' timeout, 'i' invalid) (docs/reconciliation.md#ivr-choice); null with no menu or no choice made, before reconciler 1.4.0, on provisional cards and CDR-only calls",
  },
} as const satisfies Record<string, CallColumnSpec>;

export type CallColumnName = keyof typeof CALL_COLUMNS;
