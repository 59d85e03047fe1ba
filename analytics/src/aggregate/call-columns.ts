import type { FactColumnName } from '@callcenter/sql/schema';
import { dictColumn, type FactFrame, numberColumn } from './fact-frame.ts';
import { SERVICE_LEVEL_DEFAULT_SEC } from './metric-defaults.ts';
import { CallEnd, callEndOf } from './queue-metrics.ts';

/**
 * The call_facts columns the call reports read, resolved once per frame, with per-code lookup
 * tables so row loops compare small integers, never strings.
 */
export interface CallColumns {
  rows: number;
  startedAt: Float64Array;
  queueWait: Float64Array;
  talk: Float64Array;
  hold: Float64Array;
  direction: Int32Array;
  status: Int32Array;
  queue: Int32Array;
  queueNames: readonly string[];
  operator: Int32Array;
  operatorNames: readonly string[];
  /** Per direction code: 1 inbound, 2 outbound, 0 other. */
  directionKind: Uint8Array;
  /** Per status code: its {@link CallEnd}. */
  statusEnd: Uint8Array;
}

/** The columns call reports need (`CALL_REPORT_COLUMNS`); throws naming a missing one. */
export function callColumns(frame: FactFrame): CallColumns {
  const direction = dictColumn(frame, 'direction');
  const status = dictColumn(frame, 'status');
  const queue = dictColumn(frame, 'queue');
  const operator = dictColumn(frame, 'operator');
  return {
    rows: frame.rows,
    startedAt: numberColumn(frame, 'started_at').values,
    queueWait: numberColumn(frame, 'queue_wait_sec').values,
    talk: numberColumn(frame, 'talk_sec').values,
    hold: numberColumn(frame, 'hold_sec').values,
    direction: direction.codes,
    status: status.codes,
    queue: queue.codes,
    queueNames: queue.dictionary,
    operator: operator.codes,
    operatorNames: operator.dictionary,
    directionKind: Uint8Array.from(direction.dictionary, (d) =>
      d === 'inbound' ? INBOUND : d === 'outbound' ? OUTBOUND : 0,
    ),
    statusEnd: Uint8Array.from(status.dictionary, (s) => callEndOf(s)),
  };
}

/** The `direction` code of an inbound call in the decoded columns. */
export const INBOUND = 1;
/** The `direction` code of an outbound call in the decoded columns. */
export const OUTBOUND = 2;
export { CallEnd };

/** The columns of call_facts the client reports fetch (`/reports/facts?columns=`). */
export const CALL_REPORT_COLUMNS = {
  text: [
    'direction',
    'status',
    'queue',
    'operator',
    'purpose',
    'category',
    'subcategory',
    'did',
    'src_number',
    'ended_at_stage',
    'ivr_choice',
  ],
  numbers: ['started_at', 'queue_wait_sec', 'talk_sec', 'hold_sec', 'needs_callback'],
} as const satisfies ReportColumns<FactColumnName<'call_facts'>>;

/** Columns a client report fetches, split by how they are decoded; names from sql/schema/fact-tables.ts. */
export interface ReportColumns<Name extends string> {
  text: readonly Name[];
  numbers: readonly Name[];
}

/** Service-level threshold T per queue code (seconds): `thresholds(name)` or {@link SERVICE_LEVEL_DEFAULT_SEC}. */
export function thresholdsByCode(
  queueNames: readonly string[],
  thresholds: (queue: string) => number | undefined,
): Float64Array {
  return Float64Array.from(queueNames, (name) => thresholds(name) ?? SERVICE_LEVEL_DEFAULT_SEC);
}
