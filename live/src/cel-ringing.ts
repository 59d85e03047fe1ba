import type { CelRingingInput } from '@callcenter/ingest/collector';
import { parseChannelName } from '@callcenter/ingest/reconcile';
import type { CelRow, OperatorDirectory } from '@callcenter/ingest/types';
import type { LiveDirection } from './live-notification.ts';
import type { ProvisionalCards } from './provisional-cards.ts';

/**
 * Provisional ringing seen from CEL (installations without ARI, and the demo: `callcenter replay
 * DIR --timing original` beside a running `npm start`): after a collector cycle that read the
 * tail of the table, each CHAN_START of an operator's channel (PJSIP/<endpoint>, endpoint in
 * app.operators) whose call is still open — the ring has begun, the call has not ended — upserts
 * the same provisional card and sends the same `call.ringing` as the ARI source; whichever is first
 * creates the card, the other finds it (live/provisional-cards.ts).
 *
 * Kept off the collector's hot path: only cycles that were not reading a backlog (a batch that is
 * not full) are looked at, only their new rows, and only rings younger than `freshSec` on the
 * server's clock (catching up old open calls pops nothing). The upserts run after the cycle's
 * commit, one at a time, without the collector waiting for them.
 */

/** A ring found in CEL. */
export interface CelRing {
  serverId: string;
  linkedid: string;
  channelId: string;
  endpoint: string;
  /** UTC epoch ms of the operator leg's CHAN_START. */
  rangAt: number;
}

/** CHAN_START rows of operators' channels in `rows` (cheap: one string test per row first). */
export function operatorRings(rows: readonly CelRow[], isOperator: OperatorDirectory): CelRing[] {
  const rings: CelRing[] = [];
  for (const row of rows) {
    if (row.eventType !== 'CHAN_START' || row.uniqueId === row.linkedId) continue;
    const name = parseChannelName(row.chanName);
    if (name.isLocal || name.isSystem || !isOperator(row.serverId, name.endpoint)) continue;
    rings.push({
      serverId: row.serverId,
      linkedid: row.linkedId,
      channelId: row.uniqueId,
      endpoint: name.endpoint,
      rangAt: row.eventTime,
    });
  }
  return rings;
}

/** The screen-pop facts of an open call from its CEL rows so far (ordered by id). */
export function callFactsFromCel(
  rows: readonly CelRow[],
  linkedid: string,
  ringAt: number,
  isOperator: OperatorDirectory,
): {
  direction: LiveDirection;
  callerNumber: string | null;
  did: string | null;
  queue: string | null;
  startedAt: number;
} | null {
  let root: CelRow | undefined;
  let queue: string | null = null;
  for (const row of rows) {
    if (row.linkedId !== linkedid) continue;
    if (row.eventType === 'CHAN_START' && row.uniqueId === linkedid) root = row;
    if (row.eventType === 'APP_START' && row.appName === 'Queue' && row.eventTime <= ringAt)
      queue = row.appData.split(',')[0]?.trim() || null;
  }
  if (!root) return null;
  const rootName = parseChannelName(root.chanName);
  const fromOperator = !rootName.isLocal && isOperator(root.serverId, rootName.endpoint);
  return {
    direction: fromOperator ? 'internal' : 'inbound',
    callerNumber: root.cidNum || null,
    did: !fromOperator && /^\+?[0-9]{3,20}$/.test(root.exten) ? root.exten : null,
    queue,
    startedAt: root.eventTime,
  };
}

/**
 * The collector's `celRinging` observer: operator rings in a cycle's fresh CEL rows (at most
 * `freshSec`, default 60 s, behind the server's clock) of calls still open become provisional
 * cards, one at a time in arrival order.
 */
export class CelRinging {
  private chain: Promise<void> = Promise.resolve();

  constructor(
    private readonly cards: ProvisionalCards,
    private readonly options: { freshSec?: number; log?: (line: string) => void } = {},
  ) {}

  /** Looks for fresh rings of open calls; upserts their cards in the background. */
  observe(input: CelRingingInput): void {
    const rings = operatorRings(input.newRows, input.isOperator);
    if (rings.length === 0 || input.serverNow === undefined) return;
    const freshFrom = input.serverNow - (this.options.freshSec ?? 60) * 1000;
    const fresh = rings.filter((r) => r.rangAt >= freshFrom);
    if (fresh.length === 0) return;
    const open = new Set<string>();
    for (const row of input.openRows) open.add(row.linkedId);
    const receivedAt = Date.now();
    for (const ring of fresh) {
      if (!open.has(ring.linkedid)) continue;
      const facts = callFactsFromCel(input.openRows, ring.linkedid, ring.rangAt, input.isOperator);
      if (!facts) continue;
      this.chain = this.chain
        .then(async () => {
          await this.cards.ring({
            serverId: ring.serverId,
            linkedid: ring.linkedid,
            channelId: ring.channelId,
            endpoint: ring.endpoint,
            direction: facts.direction,
            callerNumber: facts.callerNumber,
            did: facts.did,
            queue: facts.queue,
            startedAt: new Date(facts.startedAt).toISOString(),
            rangAt: new Date(ring.rangAt).toISOString(),
            source: 'cel',
            receivedAt,
          });
        })
        .catch((error: Error) => this.options.log?.(`live ringing from CEL failed: ${error.message}`));
    }
  }

  /** Resolves once the upserts started so far are done. */
  idle(): Promise<void> {
    return this.chain;
  }
}
