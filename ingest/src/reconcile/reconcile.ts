import { buildCall } from './build-call.ts';
import { crossCheckWithCdr } from './cdr-cross-check.ts';
import { callFromCdr } from './cdr-only-call.ts';
import { buildGroupTimeline, type GroupTimeline } from './channel-timeline.ts';
import { cdrOnlyDecisions } from './decisions.ts';
import { withoutDuplicateCdr, withoutDuplicateCel } from './duplicate-rows.ts';
import { groupCallRows } from './group-calls.ts';
import type {
  Call,
  CallExplanation,
  CdrRow,
  CelRow,
  ClosedBy,
  ReconcileOptions,
  ReconcileResult,
} from './types.ts';

/** Default silence after which an unfinished call is closed: 4 hours of no rows. */
export const DEFAULT_IDLE_TIMEOUT_SEC = 4 * 3600;

const key = (serverId: string, linkedId: string): string => `${serverId}\u0000${linkedId}`;

/**
 * The reconciler: CEL rows (+ CDR rows) → calls. Pure and deterministic: the same rows give the
 * same calls, whatever their arrival order, so history can be re-derived after a rule fix.
 *
 * Rows repeating another row but for its id are dropped first (see duplicate-rows.ts).
 * A group (linkedids joined by shared channels) is final when every one of its linkedids has
 * its LINKEDID_END (wazo-call-logd's rule); otherwise, when `options.now` is given and the group
 * has been silent for `idleTimeoutSec`, it is closed as `idle_timeout`; otherwise its rows come
 * back in `pending`. A group that fails to reconcile is reported in `failures` and never stops
 * the others. CDR rows whose linkedid has no CEL at all become `cdr_only` calls once they are
 * older than the idle timeout (or at once with `closeAll`).
 *
 * @example
 * const { calls } = reconcile(celRows, cdrRows, { isOperator: (_s, e) => ['101', '102'].includes(e), closeAll: true });
 */
export function reconcile(
  celRows: readonly CelRow[],
  cdrRows: readonly CdrRow[],
  options: ReconcileOptions,
): ReconcileResult {
  const idleMs = (options.idleTimeoutSec ?? DEFAULT_IDLE_TIMEOUT_SEC) * 1000;
  const cdrByLinkedId = new Map<string, CdrRow[]>();
  for (const row of withoutDuplicateCdr(cdrRows)) {
    const k = key(row.serverId, row.linkedId);
    const list = cdrByLinkedId.get(k);
    if (list) list.push(row);
    else cdrByLinkedId.set(k, [row]);
  }

  const result: ReconcileResult = {
    calls: [],
    pending: [],
    pendingCdr: [],
    skippedEventTypes: {},
    failures: [],
  };
  const claimedCdr = new Set<string>();
  const explanations: CallExplanation[] | undefined = options.explain ? [] : undefined;

  for (const group of groupCallRows(withoutDuplicateCel(celRows))) {
    const cdrKeys = group.linkedIds.map((l) => key(group.serverId, l));
    try {
      const timeline = buildGroupTimeline(group.rows);
      for (const [type, count] of Object.entries(timeline.skippedEventTypes)) {
        result.skippedEventTypes[type] = (result.skippedEventTypes[type] ?? 0) + count;
      }
      let closedBy: ClosedBy | null = null;
      if (group.linkedIds.every((l) => timeline.endedLinkedIds.has(l)) && !linkedIdMovedOn(timeline))
        closedBy = 'linkedid_end';
      else if (options.closeAll) closedBy = 'end_of_input';
      else if (options.now !== undefined && options.now - timeline.lastEventTime > idleMs)
        closedBy = 'idle_timeout';
      const cdr = cdrKeys.flatMap((k) => cdrByLinkedId.get(k) ?? []);
      for (const k of cdrKeys) claimedCdr.add(k);
      if (!closedBy) {
        result.pending.push(...group.rows);
        result.pendingCdr.push(...cdr);
        continue;
      }
      const built = buildCall(group.serverId, timeline, group.linkedIds, closedBy, options.isOperator);
      const call = crossCheckWithCdr(built.call, cdr);
      result.calls.push(call);
      explanations?.push({ call, decisions: built.decisions });
    } catch (error) {
      result.failures.push({
        linkedids: group.linkedIds,
        reason: error instanceof Error ? error.message : String(error),
        rows: group.rows,
      });
    }
  }

  for (const [k, rows] of cdrByLinkedId) {
    if (claimedCdr.has(k)) continue;
    const lastEnd = Math.max(...rows.map((r) => r.end ?? r.start ?? 0));
    const old = options.now !== undefined && options.now - lastEnd > idleMs;
    if (!options.closeAll && !old) {
      result.pendingCdr.push(...rows);
      continue;
    }
    const call = callFromCdr(rows, options.isOperator);
    if (call) {
      result.calls.push(call);
      explanations?.push({ call, decisions: cdrOnlyDecisions(call) });
    }
  }

  result.calls.sort(compareCalls);
  if (explanations) result.explanations = explanations.sort((a, b) => compareCalls(a.call, b.call));
  return result;
}

/**
 * Whether a LINKEDID_END was written on a channel that has not hung up: Asterisk retired the
 * linkedid because its last channel took an older call's linkedid (bridged into it after a call
 * pickup or taking a parked call back), and that channel's next rows carry the other linkedid.
 * The group waits for them rather than closing as a call of its own (docs/reconciliation.md#finality).
 */
function linkedIdMovedOn(timeline: GroupTimeline): boolean {
  return timeline.linkedIdEndChannels.some((uniqueId) => {
    const channel = timeline.channels.get(uniqueId);
    return channel !== undefined && channel.end === null && channel.hangup === null;
  });
}

/** Calls ordered by started_at, then server and linkedid (deterministic output order). */
export function compareCalls(a: Call, b: Call): number {
  return (
    a.started_at.localeCompare(b.started_at) ||
    a.server_id.localeCompare(b.server_id) ||
    a.linkedid.localeCompare(b.linkedid)
  );
}
