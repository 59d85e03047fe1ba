import type { CelRingingInput } from '@callcenter/ingest/collector';
import { parseChannelName } from '@callcenter/ingest/reconcile';
import type { CelRow, OperatorDirectory } from '@callcenter/ingest/types';
import type { CallStateNotification, LiveDirection } from './live-notification.ts';
import type { ProvisionalCards } from './provisional-cards.ts';

/**
 * Provisional ringing seen from CEL (installations without ARI, and the demo: `callcenter replay
 * DIR --timing original` beside a running `npm start`): after a collector cycle that read the
 * tail of the table, each CHAN_START of an operator's channel (PJSIP/<endpoint>, endpoint in
 * app.operators) whose call is still open — the ring has begun, the call has not ended — upserts
 * the same provisional card and sends the same `call.ringing` as the ARI source; whichever is first
 * creates the card, the other finds it (live/provisional-cards.ts).
 *
 * Where no ARI runs for a server (`ariServerId` names the one that has it), the same CEL rows also
 * carry the call's later states to the pop, as ARI would: an operator leg's ANSWER →
 * `call.answered` (the provisional card becomes `answered` with that operator), BLINDTRANSFER /
 * ATTENDEDTRANSFER by an operator's channel → `call.transferred` (the attended target's endpoint
 * gets it too, with `transfer.targetChannelId`, so its pop follows the call), an operator leg's
 * HANGUP → `call.hangup` with its cause. Hold is not in the CEL Asterisk writes with the product's
 * cel.conf (captures 11: no HOLD rows), so without ARI a pop shows no hold.
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

/** A later state of an operator's leg seen in CEL (where no ARI runs). */
export interface CelCallState {
  kind: 'answered' | 'transferred' | 'hangup';
  serverId: string;
  linkedid: string;
  channelId: string;
  endpoint: string;
  /** UTC epoch ms of the CEL row. */
  at: number;
  details: Record<string, unknown>;
}

const parseExtra = (extra: string): Record<string, unknown> => {
  if (!extra) return {};
  try {
    const value = JSON.parse(extra) as unknown;
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
};
const text = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);

/**
 * The call states of operators' legs in `rows` (in row order). `rung`: uniqueids of operator legs
 * that were rung (their CHAN_START had another channel's linkedid) — an operator's own outgoing
 * leg answering is no answer of a ring. docs/reconciliation.md names the CEL events.
 */
export function operatorCallStates(
  rows: readonly CelRow[],
  isOperator: OperatorDirectory,
  rung: ReadonlySet<string>,
): CelCallState[] {
  const states: CelCallState[] = [];
  for (const row of rows) {
    const type = row.eventType;
    if (type !== 'ANSWER' && type !== 'HANGUP' && type !== 'BLINDTRANSFER' && type !== 'ATTENDEDTRANSFER')
      continue;
    const name = parseChannelName(row.chanName);
    if (name.isLocal || name.isSystem || !isOperator(row.serverId, name.endpoint)) continue;
    const base = {
      serverId: row.serverId,
      linkedid: row.linkedId,
      channelId: row.uniqueId,
      endpoint: name.endpoint,
      at: row.eventTime,
    };
    const extra = parseExtra(row.extra);
    if (type === 'ANSWER') {
      if (rung.has(row.uniqueId)) states.push({ ...base, kind: 'answered', details: {} });
    } else if (type === 'HANGUP') {
      if (rung.has(row.uniqueId))
        states.push({
          ...base,
          kind: 'hangup',
          details: { cause: typeof extra.hangupcause === 'number' ? extra.hangupcause : null },
        });
    } else if (type === 'BLINDTRANSFER') {
      states.push({
        ...base,
        kind: 'transferred',
        details: {
          transfer: {
            kind: 'blind',
            to: text(extra.extension),
            context: text(extra.context),
            transfereeChannelId: text(extra.transferee_channel_uniqueid),
          },
        },
      });
    } else {
      const targetName = parseChannelName(text(extra.transfer_target_channel_name) ?? '');
      const targetEndpoint =
        !targetName.isLocal && !targetName.isSystem && isOperator(row.serverId, targetName.endpoint)
          ? targetName.endpoint
          : null;
      states.push({
        ...base,
        kind: 'transferred',
        details: {
          transfer: {
            kind: 'attended',
            to: targetEndpoint,
            targetChannelId: text(extra.transfer_target_channel_uniqueid),
            transfereeChannelId: text(extra.transferee_channel_uniqueid),
          },
          ...(targetEndpoint && targetEndpoint !== name.endpoint ? { alsoEndpoints: [targetEndpoint] } : {}),
        },
      });
    }
  }
  return states;
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
    private readonly options: {
      freshSec?: number;
      log?: (line: string) => void;
      /** The server whose call states come from ARI (none from CEL for it); null: none has ARI. */
      ariServerId?: string | null;
    } = {},
  ) {}

  /**
   * Looks for fresh rings of open calls, and (servers without ARI) the later states of their
   * operators' legs; upserts the cards and publishes the states in the background, in row order.
   */
  observe(input: CelRingingInput): void {
    if (input.serverNow === undefined) return;
    const rings = operatorRings(input.newRows, input.isOperator);
    const freshFrom = input.serverNow - (this.options.freshSec ?? 60) * 1000;
    const open = new Set<string>();
    for (const row of input.openRows) open.add(row.linkedId);
    const withoutAri = input.newRows.filter(
      (r) => r.serverId !== this.options.ariServerId && r.eventTime >= freshFrom && open.has(r.linkedId),
    );
    if (withoutAri.length > 0) {
      const rung = new Set<string>();
      for (const row of [...input.openRows, ...input.newRows])
        if (row.eventType === 'CHAN_START' && row.uniqueId !== row.linkedId) rung.add(row.uniqueId);
      const states = operatorCallStates(withoutAri, input.isOperator, rung);
      // After this cycle's rings (a ring and its answer may share a cycle): the chain is in order.
      if (states.length > 0) queueMicrotask(() => this.publishStates(states, Date.now()));
    }
    const fresh = rings.filter((r) => r.rangAt >= freshFrom);
    if (fresh.length === 0) return;
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

  /** Publishes CEL call states after the work queued so far, one at a time. */
  private publishStates(states: readonly CelCallState[], receivedAt: number): void {
    for (const state of states) {
      this.chain = this.chain
        .then(async () => {
          const card = await this.cards.cardOf(state.serverId, state.linkedid);
          if (!card) return;
          const notification: CallStateNotification = {
            type: `call.${state.kind}`,
            call: {
              id: card.id,
              serverId: state.serverId,
              linkedid: state.linkedid,
              channelId: state.channelId,
              endpoint: state.endpoint,
            },
            queue: card.queue,
            details: state.details,
            source: 'cel',
            receivedAt,
          };
          await this.cards.publish(notification, new Date(state.at).toISOString());
        })
        .catch((error: Error) => this.options.log?.(`live call state from CEL failed: ${error.message}`));
    }
  }

  /** Resolves once the upserts started so far are done. */
  idle(): Promise<void> {
    return this.chain;
  }
}
