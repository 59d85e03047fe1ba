/**
 * The softphone's state as a pure reducer: what the SIP layer reported (softphone-engine.ts
 * dispatches these events) and which commands make sense now. No SIP.js here, so every
 * transition is unit-tested.
 *
 * Registration is shown as it is: `not-configured` when the API delivers no credentials (the
 * demo, where no Asterisk runs), `disconnected` while the WebSocket is down, `registered` only
 * after the registrar accepted the REGISTER.
 */

export type RegistrationState =
  /** Fetching `GET /me/softphone`. */
  | 'loading'
  /** No SIP account for this user (or the API does not deliver one). */
  | 'not-configured'
  /** Opening the WebSocket to Asterisk. */
  | 'connecting'
  /** WebSocket up, REGISTER sent. */
  | 'registering'
  | 'registered'
  /** WebSocket up, not registered (refused, expired, or unregistered on purpose). */
  | 'unregistered'
  /** WebSocket down; retrying. */
  | 'disconnected'
  /** Cannot run at all (no WebRTC, invalid settings). */
  | 'failed';

/** incoming: ringing here; dialing: our INVITE is out; active: talking; held: we put it on hold. */
export type CallPhase = 'incoming' | 'dialing' | 'active' | 'held' | 'ended';

export interface PhoneCall {
  /** The SIP.js session id. */
  id: string;
  direction: 'inbound' | 'outbound';
  /** The other party: caller id number (inbound) or the dialled target (outbound). */
  remote: string;
  remoteName: string | null;
  phase: CallPhase;
  muted: boolean;
  /** ms since the epoch. */
  startedAt: number;
  answeredAt: number | null;
  endedAt: number | null;
  /** Why it ended: `hangup`, `declined`, `busy`, `failed: …`, `transferred`. */
  endReason: string | null;
  /** For the consultation leg of an attended transfer: the id of the call being transferred. */
  consultFor: string | null;
}

export interface SoftphoneState {
  registration: RegistrationState;
  /** Why the registration is in its state (an error text), or null. */
  detail: string | null;
  calls: PhoneCall[];
}

export type SoftphoneEvent =
  | { type: 'registration'; state: RegistrationState; detail?: string | null }
  | { type: 'incoming'; id: string; remote: string; remoteName?: string | null; at: number }
  | { type: 'dialing'; id: string; remote: string; at: number; consultFor?: string | null }
  | { type: 'established'; id: string; at: number }
  | { type: 'held'; id: string; held: boolean }
  | { type: 'muted'; id: string; muted: boolean }
  | { type: 'ended'; id: string; at: number; reason: string }
  /** The user closed an ended call's line in the UI. */
  | { type: 'dismissed'; id: string };

export const INITIAL_SOFTPHONE_STATE: SoftphoneState = { registration: 'loading', detail: null, calls: [] };

/** Ended calls kept on screen (the last few, for their end reason). */
const MAX_ENDED = 3;

function updateCall(state: SoftphoneState, id: string, change: (call: PhoneCall) => PhoneCall | null) {
  const call = state.calls.find((c) => c.id === id);
  if (!call) return state;
  const next = change(call);
  if (next === call || next === null) return state;
  return { ...state, calls: state.calls.map((c) => (c.id === id ? next : c)) };
}

/** The next state after `event`. Events about unknown calls, or that do not fit, change nothing. */
export function softphoneReducer(state: SoftphoneState, event: SoftphoneEvent): SoftphoneState {
  switch (event.type) {
    case 'registration': {
      const detail = event.detail ?? null;
      if (state.registration === event.state && state.detail === detail) return state;
      // Losing the transport or the account ends nothing by itself: SIP.js reports each
      // session's own end.
      return { ...state, registration: event.state, detail };
    }
    case 'incoming':
    case 'dialing': {
      if (state.calls.some((c) => c.id === event.id)) return state;
      const call: PhoneCall = {
        id: event.id,
        direction: event.type === 'incoming' ? 'inbound' : 'outbound',
        remote: event.remote,
        remoteName: event.type === 'incoming' ? (event.remoteName ?? null) : null,
        phase: event.type === 'incoming' ? 'incoming' : 'dialing',
        muted: false,
        startedAt: event.at,
        answeredAt: null,
        endedAt: null,
        endReason: null,
        consultFor: event.type === 'dialing' ? (event.consultFor ?? null) : null,
      };
      return { ...state, calls: [...state.calls, call] };
    }
    case 'established':
      return updateCall(state, event.id, (call) =>
        call.phase === 'incoming' || call.phase === 'dialing'
          ? { ...call, phase: 'active', answeredAt: event.at }
          : null,
      );
    case 'held':
      return updateCall(state, event.id, (call) => {
        if (event.held && call.phase === 'active') return { ...call, phase: 'held' };
        if (!event.held && call.phase === 'held') return { ...call, phase: 'active' };
        return null;
      });
    case 'muted':
      return updateCall(state, event.id, (call) =>
        (call.phase === 'active' || call.phase === 'held') && call.muted !== event.muted
          ? { ...call, muted: event.muted }
          : null,
      );
    case 'ended': {
      const next = updateCall(state, event.id, (call) =>
        call.phase === 'ended'
          ? null
          : { ...call, phase: 'ended', endedAt: event.at, endReason: event.reason },
      );
      if (next === state) return state;
      const ended = next.calls.filter((c) => c.phase === 'ended');
      if (ended.length <= MAX_ENDED) return next;
      const drop = new Set(ended.slice(0, ended.length - MAX_ENDED).map((c) => c.id));
      return { ...next, calls: next.calls.filter((c) => !drop.has(c.id)) };
    }
    case 'dismissed': {
      const call = state.calls.find((c) => c.id === event.id);
      if (call?.phase !== 'ended') return state;
      return { ...state, calls: state.calls.filter((c) => c.id !== event.id) };
    }
  }
}

export type CallCommand =
  | 'answer'
  | 'decline'
  | 'hangup'
  | 'hold'
  | 'unhold'
  | 'mute'
  | 'unmute'
  | 'dtmf'
  | 'blindTransfer'
  | 'startConsult'
  | 'completeTransfer';

/** Calls not yet ended. */
export function liveCalls(state: SoftphoneState): PhoneCall[] {
  return state.calls.filter((c) => c.phase !== 'ended');
}

/** What the user may do with call `id` now (empty for an unknown or ended call). */
export function allowedCommands(state: SoftphoneState, id: string): Set<CallCommand> {
  const call = state.calls.find((c) => c.id === id);
  const out = new Set<CallCommand>();
  if (!call) return out;
  switch (call.phase) {
    case 'incoming':
      out.add('answer').add('decline');
      break;
    case 'dialing':
      out.add('hangup');
      break;
    case 'active':
    case 'held': {
      out.add('hangup').add(call.phase === 'active' ? 'hold' : 'unhold');
      out.add(call.muted ? 'unmute' : 'mute');
      if (call.phase === 'active') out.add('dtmf');
      if (call.consultFor === null) {
        out.add('blindTransfer');
        const hasConsult = state.calls.some((c) => c.consultFor === call.id && c.phase !== 'ended');
        if (!hasConsult) out.add('startConsult');
      } else {
        // The consultation leg: once the target answered, join the caller to it (REFER/Replaces).
        const primary = state.calls.find((c) => c.id === call.consultFor);
        if (primary && (primary.phase === 'active' || primary.phase === 'held')) out.add('completeTransfer');
      }
      break;
    }
    case 'ended':
      break;
  }
  return out;
}

/**
 * Whether a new outgoing call may start: registered, and every call in progress is on hold (no
 * second INVITE while one rings out or while talking unheld).
 */
export function canDial(state: SoftphoneState): boolean {
  if (state.registration !== 'registered') return false;
  return liveCalls(state).every((c) => c.phase === 'held');
}

/** The call the panel shows first: ringing here, then dialling, then talking, then held. */
export function focusedCall(state: SoftphoneState): PhoneCall | null {
  const order: CallPhase[] = ['incoming', 'dialing', 'active', 'held', 'ended'];
  for (const phase of order) {
    const found = [...state.calls].reverse().find((c) => c.phase === phase);
    if (found) return found;
  }
  return null;
}

/** Seconds shown on the call timer: talk time once answered, ring time before; frozen at the end. */
export function callTimerSec(call: PhoneCall, now: number): number {
  const from = call.answeredAt ?? call.startedAt;
  const to = call.endedAt ?? now;
  return Math.max(0, Math.floor((to - from) / 1000));
}

/** `m:ss`, or `h:mm:ss` from an hour. */
export function formatTimer(totalSec: number): string {
  const h = Math.floor(totalSec / 3600);
  const m = Math.floor((totalSec % 3600) / 60);
  const s = totalSec % 60;
  const ss = String(s).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

/** A dialled string made into a SIP target: digits, `*`, `#` and `+` kept; empty → null. */
export function normaliseDialString(raw: string): string | null {
  const cleaned = raw.replace(/[\s()\-.]/g, '');
  if (!/^\+?[0-9*#]{1,32}$/.test(cleaned)) return null;
  return cleaned;
}
