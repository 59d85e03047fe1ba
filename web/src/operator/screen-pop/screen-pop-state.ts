import { z } from 'zod';
import type { LiveMessage } from '../../live/index.ts';

/**
 * Screen pops: the calls ringing (or ringing lately) at the operator's own endpoint, from the live
 * `call.*` events the collector publishes from ARI/CEL (api/src/live, live/src). Pure:
 * `screenPopReducer(pops, message, myEndpoint, now)` is unit-tested.
 *
 * - `call.ringing` for my endpoint opens a pop (one per server + linkedid: a re-ring of the same
 *   call, e.g. after a transfer back, updates it); for another endpoint it is ignored (an admin
 *   receives everyone's events).
 * - `call.answered` for my endpoint → talking; for another endpoint → answered elsewhere.
 * - `call.held` / `call.unheld` → held / talking; `call.transferred` → transferred.
 * - `call.hangup` → ended (missed if I never answered; answered elsewhere for cause 26). A
 *   transferred call stays transferred: my leg's hangup, and later the caller's, follow every
 *   transfer, and the call goes on with the target.
 * - A transfer moves a pop: my leg's event under another linkedid, or a `call.transferred` naming
 *   my leg as `transfer.targetChannelId` (the attended target, rung for the consultation call),
 *   re-keys the pop to the call it now belongs to.
 * - `call.updated` / `call.ended` (the card row, snake_case) → talking / answered elsewhere by its
 *   `operator_endpoint`, ended once `ended_at` is set (missed when it never reached an operator;
 *   transferred when I talked and another operator has it at the end). A card found by one of its
 *   `linkedids` (a consultation merged into the transferred call) gives the pop its id.
 * - At most {@link MAX_POPS} are kept, newest first.
 */

const text = z.string().nullable().optional();

export const HistoryItem = z.object({
  id: z.number(),
  startedAt: z.string(),
  direction: z.string(),
  status: z.string(),
  queue: text,
  operatorEndpoint: text,
  talkSec: z.number().nullable().optional(),
  purpose: text,
  category: text,
  subcategory: text,
  notes: text,
  needsCallback: z.boolean().nullable().optional(),
  cardCompleted: z.boolean().nullable().optional(),
});
export type HistoryItem = z.infer<typeof HistoryItem>;

const CallRef = z.object({
  id: z.number().nullable().optional(),
  serverId: z.string(),
  linkedid: z.string(),
  channelId: text,
  endpoint: text,
});

export const RingingEvent = z.object({
  call: CallRef.extend({
    direction: text,
    callerNumber: text,
    did: text,
    queue: text,
    startedAt: text,
    provisional: z.boolean().optional(),
  }),
  history: z.array(HistoryItem).default([]),
});

export type PopPhase =
  | 'ringing'
  | 'talking'
  | 'held'
  | 'answered-elsewhere'
  | 'transferred'
  | 'ended'
  | 'missed';

export interface ScreenPop {
  /** `${serverId}/${linkedid}`. */
  key: string;
  /** app.calls id (GET/PUT /calls/{id}); null while the collector has no row for it. */
  callId: number | null;
  serverId: string;
  linkedid: string;
  channelId: string | null;
  callerNumber: string | null;
  did: string | null;
  queue: string | null;
  direction: string | null;
  startedAt: string | null;
  history: HistoryItem[];
  phase: PopPhase;
  /** ms since the epoch when it popped (or last rang again). */
  poppedAt: number;
}

export const MAX_POPS = 5;

const keyOf = (call: { serverId: string; linkedid: string }) => `${call.serverId}/${call.linkedid}`;

const PHASE_OF: Record<string, PopPhase> = {
  'call.answered': 'talking',
  'call.held': 'held',
  'call.unheld': 'talking',
  'call.transferred': 'transferred',
};

/** The pops after `message` (the same array when it does not concern them). */
export function screenPopReducer(
  pops: ScreenPop[],
  message: LiveMessage,
  myEndpoint: string | null,
  now: number,
): ScreenPop[] {
  if (!myEndpoint) return pops;
  if (message.type === 'call.ringing') {
    const parsed = RingingEvent.safeParse(message.data);
    if (!parsed.success || parsed.data.call.endpoint !== myEndpoint) return pops;
    const { call, history } = parsed.data;
    const pop: ScreenPop = {
      key: keyOf(call),
      callId: call.id ?? null,
      serverId: call.serverId,
      linkedid: call.linkedid,
      channelId: call.channelId ?? null,
      callerNumber: call.callerNumber ?? null,
      did: call.did ?? null,
      queue: call.queue ?? null,
      direction: call.direction ?? null,
      startedAt: call.startedAt ?? null,
      history,
      phase: 'ringing',
      poppedAt: now,
    };
    return [pop, ...pops.filter((p) => p.key !== pop.key)].slice(0, MAX_POPS);
  }
  if (message.type === 'call.updated' || message.type === 'call.ended')
    return fromCallRow(pops, message, myEndpoint);
  const isHangup = message.type === 'call.hangup';
  if (!isHangup && !(message.type in PHASE_OF)) return pops;
  const parsed = z.object({ call: CallRef }).safeParse(message.data);
  if (!parsed.success) return pops;
  const { call } = parsed.data;
  const key = keyOf(call);
  let index = pops.findIndex((p) => p.key === key);
  // The transfer target's pop: it was rung for the consultation call; the transfer moves its leg
  // into the transferred call, whose events follow (call.transferred names it as targetChannelId).
  const target = message.type === 'call.transferred' ? targetChannelOf(message.data) : null;
  let moved = false;
  if (index < 0) {
    index = pops.findIndex(
      (p) =>
        p.serverId === call.serverId &&
        p.channelId != null &&
        (p.channelId === call.channelId || p.channelId === target),
    );
    if (index < 0) return pops;
    moved = true;
  }
  const found = pops[index]!;
  const pop = moved ? { ...found, key, linkedid: call.linkedid, callId: call.id ?? found.callId } : found;
  if (moved && pop.channelId === target && pop.channelId !== call.channelId) {
    // My leg now talks with the transferred call's caller: same phase, the call it belongs to changed.
    const next = [...pops];
    next[index] = pop;
    return next.filter((p, i) => i === index || p.key !== key);
  }
  const mine = call.endpoint === myEndpoint || (call.channelId != null && call.channelId === pop.channelId);
  let phase: PopPhase = pop.phase;
  if (isHangup) {
    // Another operator's leg ending (a ring elsewhere) does not end my call.
    if (!mine && call.endpoint) return pops;
    // Hangup cause 26 on a ringing leg: another member answered (a ringall queue) — nobody's miss.
    const answeredElsewhere = (message.data as { cause?: unknown }).cause === 26;
    if (pop.phase === 'ringing') phase = answeredElsewhere ? 'answered-elsewhere' : 'missed';
    else if (pop.phase !== 'answered-elsewhere' && pop.phase !== 'transferred') phase = 'ended';
  } else if (message.type === 'call.answered' && !mine) {
    if (pop.phase !== 'ringing') return pops;
    phase = 'answered-elsewhere';
  } else {
    if (!mine) return pops;
    phase = PHASE_OF[message.type]!;
  }
  if (!moved && phase === pop.phase && (call.id ?? pop.callId) === pop.callId) return pops;
  const next = [...pops];
  next[index] = { ...pop, phase, callId: pop.callId ?? call.id ?? null };
  return moved ? next.filter((p, i) => i === index || p.key !== key) : next;
}

/** `transfer.targetChannelId` of a call.transferred event (attended), else null. */
function targetChannelOf(data: unknown): string | null {
  const parsed = z.object({ transfer: z.object({ targetChannelId: z.string() }) }).safeParse(data);
  return parsed.success ? parsed.data.transfer.targetChannelId : null;
}

/** Removes a pop (the operator closed it). */
export function dismissPop(pops: ScreenPop[], key: string): ScreenPop[] {
  return pops.filter((p) => p.key !== key);
}

const CallRow = z.object({
  call: z.object({
    id: z.number(),
    server_id: z.string().optional(),
    linkedid: z.string().optional(),
    /** Every linkedid the card covers (a transfer's consultation call is merged into it). */
    linkedids: z.array(z.string()).optional(),
    status: z.string(),
    ended_at: z.string().nullable().optional(),
    operator_endpoint: z.string().nullable().optional(),
  }),
});

/** A pop's phase from the card row the collector wrote (call.updated / call.ended). */
function fromCallRow(pops: ScreenPop[], message: LiveMessage, myEndpoint: string): ScreenPop[] {
  const parsed = CallRow.safeParse(message.data);
  if (!parsed.success) return pops;
  const { call } = parsed.data;
  // By card id, or — a card merged from several linkedids (the consultation call of an attended
  // transfer becomes part of the transferred call) — by the linkedid the pop was rung for.
  const linkedids = call.linkedids ?? (call.linkedid ? [call.linkedid] : []);
  const index = pops.findIndex(
    (p) =>
      p.callId === call.id ||
      ((call.server_id === undefined || p.serverId === call.server_id) && linkedids.includes(p.linkedid)),
  );
  if (index < 0) return pops;
  const pop = pops[index]!;
  const operator = call.operator_endpoint ?? null;
  let phase: PopPhase = pop.phase;
  if (call.ended_at && call.status !== 'ringing') {
    if (operator === myEndpoint) phase = pop.phase === 'answered-elsewhere' ? pop.phase : 'ended';
    else if (pop.phase === 'ringing') phase = operator ? 'answered-elsewhere' : 'missed';
    // I talked, and another operator has the call at its end: it was passed on.
    else if (operator && (pop.phase === 'talking' || pop.phase === 'held')) phase = 'transferred';
  } else if (operator && pop.phase === 'ringing') {
    phase = operator === myEndpoint ? 'talking' : 'answered-elsewhere';
  }
  if (phase === pop.phase && pop.callId === call.id) return pops;
  const next = [...pops];
  next[index] = { ...pop, phase, callId: call.id };
  return next;
}
