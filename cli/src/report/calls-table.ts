import { basename } from 'node:path';
import { queueMetrics, SERVICE_LEVEL_DEFAULT_SEC } from '@callcenter/analytics/aggregate';
import Table from 'cli-table3';
import type { CollectedCall } from './collected-calls.ts';

/**
 * The main job's console summary: one line per call and per-queue totals (standard metric
 * definitions from analytics/aggregate). Times are UTC; durations in seconds.
 */

const sec = (value: number | null): string => (value === null ? '–' : value.toFixed(1));
const pct = (value: number | null): string => (value === null ? '–' : `${(value * 100).toFixed(0)}%`);
/** No rule between body rows: a long list stays readable in a terminal. */
const COMPACT = { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' };
const time = (d: Date): string => d.toISOString().replace('T', ' ').slice(0, 19);

export function formatCallsTable(calls: readonly CollectedCall[]): string {
  const table = new Table({
    head: [
      'started (UTC)',
      'dir',
      'status',
      'queue',
      'oper',
      'from',
      'to',
      'wait',
      'talk',
      'hold',
      'attempts',
      'transfers',
      'recording',
    ],
    style: { head: [], border: [] },
    chars: COMPACT,
  });
  for (const c of calls) {
    table.push([
      time(c.started_at),
      c.direction,
      c.closed_by === 'idle_timeout' ? `${c.status}*` : c.status,
      c.queue ?? '',
      c.operator_endpoint ?? '',
      c.src_number ?? '',
      c.dst_number ?? '',
      sec(c.wait_sec),
      sec(c.talk_sec),
      sec(c.hold_sec),
      c.attempts === 0 ? '' : `${c.attempts}${c.missed_attempts ? ` (${c.missed_attempts} missed)` : ''}`,
      c.transfers.join(', '),
      c.recording_path ? basename(c.recording_path) : '',
    ]);
  }
  return table.toString();
}

export interface QueueTotalsInput {
  queue: string | null;
  status: string;
  queue_wait_sec: number | null;
  talk_sec: number;
  hold_sec: number;
}

export function formatQueueTotals(
  calls: readonly QueueTotalsInput[],
  serviceLevelSec = SERVICE_LEVEL_DEFAULT_SEC,
): string {
  const byQueue = new Map<string, QueueTotalsInput[]>();
  for (const c of calls) {
    const key = c.queue ?? '';
    byQueue.set(key, [...(byQueue.get(key) ?? []), c]);
  }
  const table = new Table({
    head: [
      'queue',
      'offered',
      'answered',
      'abandoned',
      'short ab.',
      'missed',
      'answer rate',
      `SL ${serviceLevelSec}s`,
      'ASA',
      'AHT',
    ],
    style: { head: [], border: [] },
    chars: COMPACT,
  });
  for (const [queue, list] of [...byQueue].sort(([a], [b]) => a.localeCompare(b))) {
    const m = queueMetrics(list, { serviceLevelSec });
    table.push([
      queue,
      m.offered,
      m.answered,
      m.abandoned,
      m.shortAbandoned,
      m.missed,
      pct(m.answerRate),
      pct(m.serviceLevel),
      sec(m.asa),
      sec(m.aht),
    ]);
  }
  return table.toString();
}
