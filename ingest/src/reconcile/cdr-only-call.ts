import { callTimes } from './call-times.ts';
import { parseChannelName } from './channel-name.ts';
import { toSeconds } from './intervals.ts';
import type { Call, CdrRow, OperatorDirectory } from './types.ts';
import { RECONCILER_VERSION } from './version.ts';

/**
 * A call known only from CDR (its CEL rows never arrived: CEL disabled for a while, rows dropped by
 * cel_pgsql on an overflowing column — fixtures README). Coarse by nature and flagged `cdr_only`:
 * one-second times, no queue waits, no holds, no transfers.
 */
export function callFromCdr(rows: readonly CdrRow[], isOperator: OperatorDirectory): Call | null {
  const sorted = [...rows].filter((r) => r.start !== null).sort((a, b) => a.start! - b.start! || a.id - b.id);
  const first = sorted[0];
  if (!first) return null;
  const serverId = first.serverId;
  const kind = (channel: string): 'operator' | 'external' | 'other' => {
    const parsed = parseChannelName(channel);
    if (!channel || parsed.isLocal || parsed.isSystem) return 'other';
    return isOperator(serverId, parsed.endpoint) ? 'operator' : 'external';
  };
  const callerKind = kind(first.channel);
  const direction =
    callerKind === 'external'
      ? 'inbound'
      : sorted.some((r) => kind(r.dstChannel) === 'external')
        ? 'outbound'
        : 'internal';
  const answeredRows = sorted.filter((r) => r.disposition === 'ANSWERED' && kind(r.dstChannel) !== 'other');
  const startedAt = first.start!;
  const endedAt = Math.max(...sorted.map((r) => r.end ?? r.start!));
  const answeredAt =
    answeredRows.length > 0 ? Math.min(...answeredRows.map((r) => r.answer ?? r.start!)) : null;
  const talkMs = answeredRows.reduce((sum, r) => sum + (r.billsec ?? 0) * 1000, 0);
  const operatorRow = answeredRows.findLast((r) => kind(r.dstChannel) === 'operator');
  const dispositions = new Set(sorted.map((r) => r.disposition));
  const status: Call['status'] =
    answeredAt !== null
      ? 'answered'
      : direction === 'inbound'
        ? 'missed'
        : dispositions.has('BUSY')
          ? 'busy'
          : dispositions.has('FAILED') || dispositions.has('CONGESTION')
            ? 'failed'
            : 'no_answer';
  const queueRow = sorted.find((r) => r.lastApp === 'Queue');
  const recording = sorted.map((r) => r.userField).find((f) => f) ?? null;
  return {
    server_id: serverId,
    linkedid: first.linkedId,
    uniqueid: first.uniqueId,
    linkedids: [...new Set(sorted.map((r) => r.linkedId))].sort(),
    direction,
    status,
    ...callTimes(startedAt, answeredAt, endedAt),
    queue_wait_sec: null,
    talk_sec: toSeconds(talkMs),
    hold_sec: 0,
    src_number: first.src || null,
    dst_number: first.dst && first.dst !== 's' ? first.dst : null,
    did: null,
    queue: queueRow ? queueRow.lastData.split(',')[0]! || null : null,
    queues: queueRow ? [queueRow.lastData.split(',')[0]!].filter(Boolean) : [],
    operator:
      direction === 'inbound'
        ? operatorRow
          ? parseChannelName(operatorRow.dstChannel).endpoint
          : null
        : callerKind === 'operator'
          ? parseChannelName(first.channel).endpoint
          : null,
    hung_up_by: null,
    // CDR alone shows whether someone answered, not where an unanswered call ended.
    ended_at_stage: status === 'answered' ? 'talk' : null,
    // CDR has no menu positions (docs/reconciliation.md#ivr-choice).
    ivr_choice: null,
    attempts: [],
    transfers: [],
    segments: [],
    holds: [],
    recording_path: recording,
    recordings: recording ? [recording] : [],
    closed_by: 'linkedid_end',
    flags: ['cdr_only'],
    reconciler_version: RECONCILER_VERSION,
  };
}
