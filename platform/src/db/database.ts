import type { CALL_COLUMNS, CallColumnName, CallColumnSpec, PgType } from '@callcenter/sql/schema';
import type { ColumnType, Generated } from 'kysely';

/**
 * The application schema as kysely types (sql/postgres/*.sql is the source of truth; keep the
 * two in step; `app.calls` is derived from sql/schema/call-columns.ts, checked against the
 * migrated database by platform/test/call-schema.test.ts). Every query in ingest/ and api/ is typed from this one interface.
 * Times are `timestamptz` → Date; `*_sec` are double precision seconds.
 */

type Timestamp = ColumnType<Date, Date | string, Date | string>;
type CreatedAt = ColumnType<Date, Date | string | undefined, never>;

/**
 * `app.asterisk_servers` (sql/postgres/001_core.sql): one row per Asterisk server of
 * `ASTERISK_SERVERS`: its id, name, the schema its `cel`/`cdr` tables live in, and the IANA time
 * zone its CEL times are written in.
 */
export interface AsteriskServersTable {
  id: string;
  name: string;
  cel_schema: string;
  time_zone: Generated<string>;
  created_at: CreatedAt;
}

/**
 * `app.operators`: the operator directory, one phone endpoint per operator and server (`101`); the
 * reconciler recognises operators by endpoint only (docs/reconciliation.md#participants).
 */
export interface OperatorsTable {
  id: Generated<number>;
  server_id: string;
  endpoint: string;
  name: string;
  active: Generated<boolean>;
  created_at: CreatedAt;
  /** SIP secret of the operator's WebRTC endpoint (sql/postgres/004_operator_sip.sql); null = not provisioned. */
  sip_secret: string | null;
  /** The phone behind the endpoint (sql/postgres/009_operator_phone.sql): browser softphone or plain SIP. */
  phone: Generated<OperatorPhone>;
}

/** `webrtc`: the web app's SIP.js softphone (WSS, DTLS-SRTP); `sip`: a desk phone over UDP with G.711. */
export type OperatorPhone = 'webrtc' | 'sip';

/**
 * `app.queues`: an Asterisk queue with the settings its reports use: display name, IANA time zone,
 * service-level threshold T in seconds (docs/metrics.md). The collector adds queues first seen in
 * calls.
 */
export interface QueuesTable {
  id: Generated<number>;
  server_id: string;
  name: string;
  display_name: string;
  time_zone: Generated<string>;
  service_level_sec: Generated<number>;
}

/**
 * A call-card dictionary (`app.call_purposes`, `app.call_categories`, `app.call_tags`;
 * sql/postgres/002): soft-deleted entries keep `deleted_at` so cards that used them still show
 * them.
 */
export interface DictionaryTable {
  id: Generated<number>;
  name: string;
  sort_order: Generated<number>;
  deleted_at: Timestamp | null;
}

/** `app.call_subcategories`: a dictionary entry that belongs to one category. */
export interface SubcategoriesTable extends DictionaryTable {
  category_id: number;
}

/** The TypeScript value of a Postgres type, as `pg` returns it (timestamps → Date, bigint → number). */
type PgValue<T extends PgType> = T extends 'timestamptz'
  ? Timestamp
  : T extends 'text[]'
    ? string[]
    : T extends 'text'
      ? string
      : T extends 'boolean'
        ? boolean
        : number;

/** One column's kysely type from its spec: nullability, then how inserts may leave it out. */
type ColumnOf<C extends CallColumnSpec> = C['insert'] extends 'created'
  ? CreatedAt
  : C['insert'] extends 'generated'
    ? C['pg'] extends 'timestamptz'
      ? ColumnType<Date, Date | string | undefined, Date | string>
      : Generated<PgValue<C['pg']>>
    : PgValue<C['pg']> | (C['nullable'] extends true ? null : never);

/**
 * `app.calls`, derived from the one definition of the call's columns (`@callcenter/sql/schema`,
 * sql/schema/call-columns.ts). Enumerated text columns stay `string` here; their values are in
 * the spec (`CALL_STATUSES`, `CALL_DIRECTIONS`).
 */
export type CallsTable = { [K in CallColumnName]: ColumnOf<(typeof CALL_COLUMNS)[K]> };

/**
 * `app.call_linkedids`: every linkedid a call was seen under (a transfer can join two), so late
 * rows find their call.
 */
export interface CallLinkedidsTable {
  server_id: string;
  linkedid: string;
  call_id: number;
}

/**
 * `app.call_attempts`: each ring of an operator's phone within a call (`seq` from 0): when it
 * rang, for how long (seconds), how it ended (`answered`, `no_answer`, `busy`, `declined`,
 * `canceled`, …) and the Q.850 hangup cause.
 */
export interface CallAttemptsTable {
  call_id: number;
  seq: number;
  operator_endpoint: string;
  operator_id: number | null;
  queue: string | null;
  rang_at: Timestamp;
  ring_sec: number;
  outcome: string;
  uniqueid: string;
  hangup_cause: number | null;
}

/**
 * `app.call_participants` (sql/postgres/010_call_participants.sql): one row per (call, operator
 * endpoint) that took part — the call's operator, every endpoint rung (attempts), every endpoint
 * on a leg (segments) — with the call's server and start. Kept by triggers in the transaction that
 * writes the call; read by the operator's scope.
 */
export interface CallParticipantsTable {
  call_id: number;
  server_id: string;
  endpoint: string;
  started_at: Timestamp;
}

/**
 * `app.callback_links` (sql/postgres/016_callback_links.sql): one row per callback candidate (an
 * inbound `missed`/`abandoned` call, or a card with `needs_callback`) with its customer number as
 * E.164 (null while not normalised or no phone number), the first later answered call of that
 * number (id, start, direction, operator endpoint; null while owed) and the outbound attempts up
 * to it. Kept by triggers in the transaction that writes the calls or normalises their numbers;
 * read by `GET /callbacks` and `GET /callbacks/worklist` (docs/metrics.md#callbacks-owed).
 */
export interface CallbackLinksTable {
  call_id: number;
  server_id: string;
  queue: string | null;
  queues: string[];
  needs_callback: boolean;
  started_at: Timestamp;
  e164: string | null;
  reached_call_id: number | null;
  reached_at: Timestamp | null;
  reached_direction: 'inbound' | 'outbound' | null;
  reached_operator: string | null;
  attempts: number;
}

/**
 * `app.call_transfers`: each blind or attended transfer of a call, who transferred and to what
 * target.
 */
export interface CallTransfersTable {
  call_id: number;
  seq: number;
  kind: string;
  from_operator: string | null;
  to_target: string | null;
  at: Timestamp;
}

/**
 * `app.call_segments`: each stretch of talk with one party (docs/reconciliation.md#segments): talk
 * and hold in seconds, so a transferred call's talk is split between operators.
 */
export interface CallSegmentsTable {
  call_id: number;
  seq: number;
  operator_endpoint: string | null;
  operator_id: number | null;
  party: string;
  started_at: Timestamp;
  ended_at: Timestamp;
  talk_sec: number;
  hold_sec: number;
}

/**
 * `app.call_holds`: each hold within a call (music on hold or HOLD/UNHOLD) and the operator who
 * held.
 */
export interface CallHoldsTable {
  call_id: number;
  seq: number;
  operator_endpoint: string | null;
  started_at: Timestamp;
  ended_at: Timestamp;
}

/** `app.call_tag_links`: the tags on a call's card. */
export interface CallTagLinksTable {
  call_id: number;
  tag_id: number;
}

/**
 * `app.watermarks`: the collector's read position per source (`cel`, `cdr`) and server: the
 * highest Asterisk row id already read.
 */
export interface WatermarksTable {
  source: 'cel' | 'cdr';
  server_id: string;
  last_id: number;
  updated_at: Generated<Timestamp>;
}

/**
 * `app.quarantine`: rows the collector could not use (`cel`, `cdr`) and call groups the reconciler
 * could not derive (`call`), with the reason and the raw data
 * (ingest/src/writers/quarantine-writer.ts).
 */
export interface QuarantineTable {
  id: Generated<number>;
  source: 'cel' | 'cdr' | 'call';
  server_id: string;
  source_id: number | null;
  linkedids: Generated<string[]>;
  reason: string;
  raw: unknown;
  created_at: CreatedAt;
}

/**
 * `app.outbox`: calls waiting to be shipped to ClickHouse (the shipper reads it in id order);
 * `tombstone` carries the facts key of a call absorbed by a merge, so its rows can be buried.
 */
export interface OutboxTable {
  id: Generated<number>;
  call_id: number;
  version: number;
  tombstone: unknown | null;
  created_at: CreatedAt;
}

/**
 * `app.users` (sql/postgres/003): people who sign in: login, bcrypt password hash, role
 * (docs/roles.md), server and phone endpoint of an operator.
 */
export interface UsersTable {
  id: Generated<number>;
  login: string;
  password_hash: string;
  role: 'operator' | 'supervisor' | 'admin';
  display_name: Generated<string>;
  server_id: string;
  operator_endpoint: string | null;
  active: Generated<boolean>;
  /** Must choose a new password before anything else (sql/postgres/015; docs/roles.md#sign-in). */
  must_change_password: Generated<boolean>;
  created_at: CreatedAt;
  updated_at: Generated<Timestamp>;
  /** The language the server answers in when a request does not say (sql/postgres/014), or null. */
  language: Generated<'ru' | 'en' | null>;
  /** Where scheduled reports are sent (sql/postgres/014), or null. */
  email: Generated<string | null>;
}

/** `app.saved_filters` (sql/postgres/014): a user's named filters of the reports or the journal. */
export interface SavedFiltersTable {
  id: Generated<number>;
  user_id: number;
  page: 'reports' | 'journal';
  name: string;
  filters: unknown;
  created_at: CreatedAt;
  updated_at: Generated<Date>;
}

/** `app.user_queues`: the queues a supervisor may see. */
export interface UserQueuesTable {
  user_id: number;
  queue: string;
}

/**
 * `app.refresh_tokens`: hashed refresh tokens (never the token itself), with expiry, revocation
 * and where they were issued.
 */
export interface RefreshTokensTable {
  id: Generated<number>;
  user_id: number;
  token_hash: string;
  expires_at: Timestamp;
  revoked_at: Timestamp | null;
  created_at: CreatedAt;
  ip: string | null;
  user_agent: string | null;
}

/**
 * `app.audit_log`: who did what and when (logins, card and dictionary changes, recordings listened
 * to, archive and re-derivation runs), with details as JSON.
 */
export interface AuditLogTable {
  id: Generated<number>;
  at: Generated<Timestamp>;
  user_id: number | null;
  login: string;
  action: string;
  target: string | null;
  ip: string | null;
  details: Generated<unknown>;
}

/** A nightly or manual archive run (sql/postgres/005_archive_runs.sql). */
export interface ArchiveRunsTable {
  id: Generated<number>;
  trigger: 'scheduled' | 'manual';
  status: 'requested' | 'running' | 'succeeded' | 'failed';
  target_dir: string;
  /** The night's date in `time_zone`, `YYYY-MM-DD`. */
  archive_date: string | null;
  time_zone: string;
  requested_by: string;
  requested_at: ColumnType<Date, Date | string | undefined, Date | string>;
  started_at: Timestamp | null;
  finished_at: Timestamp | null;
  duration_sec: number | null;
  bytes_written: Generated<number>;
  error: string | null;
  runner: string | null;
}

/** One step of an archive run: postgres, recordings, clickhouse, retention. */
export interface ArchiveRunStepsTable {
  run_id: number;
  step: 'postgres' | 'recordings' | 'clickhouse' | 'retention';
  seq: number;
  status: 'pending' | 'running' | 'succeeded' | 'failed' | 'skipped';
  started_at: Timestamp | null;
  finished_at: Timestamp | null;
  duration_sec: number | null;
  bytes: Generated<number>;
  files: Generated<number>;
  progress: string | null;
  detail: ColumnType<unknown, string | undefined, string>;
  error: string | null;
}

/** Why an operator pauses (sql/postgres/006_operator_presence.sql); `code` is sent to Asterisk. */
export interface PresenceReasonsTable {
  code: string;
  label: string;
  sort_order: Generated<number>;
  deleted_at: Timestamp | null;
}

/** One stretch of an operator's presence; `ended_at` null = the current one (006_operator_presence.sql). */
export interface OperatorPresenceTable {
  id: Generated<number>;
  operator_id: number;
  state: 'available' | 'paused' | 'offline';
  reason_code: string | null;
  started_at: Timestamp;
  ended_at: Timestamp | null;
  set_by_user_id: number | null;
  set_by_login: string;
  asterisk_applied: boolean;
  asterisk_note: string | null;
}

/** Queue membership as Asterisk reports it over AMI (006_operator_presence.sql). */
export interface QueueMembersTable {
  server_id: string;
  queue: string;
  interface: string;
  endpoint: string | null;
  membership: string;
  paused: boolean;
  paused_reason: string | null;
  /** AMI `Status` (AST_DEVICE_*: 4, 5 = not registered; 0 = unknown), null when not reported. */
  device_status: number | null;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

/** Every table of the application schema by its qualified name, for `Kysely<Database>`. */
export interface Database {
  'app.asterisk_servers': AsteriskServersTable;
  'app.operators': OperatorsTable;
  'app.queues': QueuesTable;
  'app.call_purposes': DictionaryTable;
  'app.call_categories': DictionaryTable;
  'app.call_subcategories': SubcategoriesTable;
  'app.call_tags': DictionaryTable;
  'app.calls': CallsTable;
  'app.call_tag_links': CallTagLinksTable;
  'app.call_linkedids': CallLinkedidsTable;
  'app.call_attempts': CallAttemptsTable;
  'app.call_participants': CallParticipantsTable;
  'app.callback_links': CallbackLinksTable;
  'app.call_transfers': CallTransfersTable;
  'app.call_segments': CallSegmentsTable;
  'app.call_holds': CallHoldsTable;
  'app.watermarks': WatermarksTable;
  'app.quarantine': QuarantineTable;
  'app.outbox': OutboxTable;
  'app.users': UsersTable;
  'app.user_queues': UserQueuesTable;
  'app.saved_filters': SavedFiltersTable;
  'app.refresh_tokens': RefreshTokensTable;
  'app.audit_log': AuditLogTable;
  'app.presence_reasons': PresenceReasonsTable;
  'app.operator_presence': OperatorPresenceTable;
  'app.queue_members': QueueMembersTable;
  'app.archive_runs': ArchiveRunsTable;
  'app.archive_run_steps': ArchiveRunStepsTable;
}
