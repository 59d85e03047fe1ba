import { describe, expect, it } from 'vitest';
import {
  allowedCommands,
  callTimerSec,
  canDial,
  focusedCall,
  formatTimer,
  INITIAL_SOFTPHONE_STATE,
  normaliseDialString,
  type SoftphoneEvent,
  type SoftphoneState,
  softphoneReducer,
} from '../softphone-state.ts';

const run = (events: SoftphoneEvent[], from: SoftphoneState = INITIAL_SOFTPHONE_STATE) =>
  events.reduce(softphoneReducer, from);

const registered = run([{ type: 'registration', state: 'registered' }]);
const sorted = (set: Set<string>) => [...set].sort();

describe('registration', () => {
  it('keeps the state and the reason as reported', () => {
    const s = run([
      { type: 'registration', state: 'connecting' },
      { type: 'registration', state: 'disconnected', detail: 'WebSocket closed (1006)' },
    ]);
    expect(s.registration).toBe('disconnected');
    expect(s.detail).toBe('WebSocket closed (1006)');
    expect(canDial(s)).toBe(false);
  });
  it('returns the same object when nothing changes', () => {
    expect(softphoneReducer(registered, { type: 'registration', state: 'registered' })).toBe(registered);
  });
});

describe('an incoming call', () => {
  const ringing = run(
    [{ type: 'incoming', id: 'a', remote: '79161234567', remoteName: 'Ivan', at: 1000 }],
    registered,
  );

  it('may be answered or declined, nothing else', () => {
    expect(sorted(allowedCommands(ringing, 'a'))).toEqual(['answer', 'decline']);
    expect(focusedCall(ringing)?.id).toBe('a');
  });

  it('goes active, on hold and back, muted and not', () => {
    const active = run([{ type: 'established', id: 'a', at: 4000 }], ringing);
    expect(active.calls[0]).toMatchObject({ phase: 'active', answeredAt: 4000 });
    expect(sorted(allowedCommands(active, 'a'))).toEqual([
      'blindTransfer',
      'dtmf',
      'hangup',
      'hold',
      'mute',
      'startConsult',
    ]);
    const held = run([{ type: 'held', id: 'a', held: true }], active);
    expect(held.calls[0]!.phase).toBe('held');
    expect(allowedCommands(held, 'a').has('unhold')).toBe(true);
    expect(allowedCommands(held, 'a').has('dtmf')).toBe(false);
    const muted = run([{ type: 'muted', id: 'a', muted: true }], held);
    expect(allowedCommands(muted, 'a').has('unmute')).toBe(true);
    expect(run([{ type: 'held', id: 'a', held: false }], muted).calls[0]).toMatchObject({
      phase: 'active',
      muted: true,
    });
  });

  it('cannot be held before it is answered, nor answered twice', () => {
    expect(softphoneReducer(ringing, { type: 'held', id: 'a', held: true })).toBe(ringing);
    const active = run([{ type: 'established', id: 'a', at: 4000 }], ringing);
    expect(softphoneReducer(active, { type: 'established', id: 'a', at: 9000 })).toBe(active);
  });

  it('ends with its reason, freezes the timer, and is dismissed only once ended', () => {
    const active = run([{ type: 'established', id: 'a', at: 4000 }], ringing);
    expect(softphoneReducer(active, { type: 'dismissed', id: 'a' })).toBe(active);
    const ended = run([{ type: 'ended', id: 'a', at: 65_000, reason: 'hangup' }], active);
    expect(ended.calls[0]).toMatchObject({ phase: 'ended', endReason: 'hangup' });
    expect(callTimerSec(ended.calls[0]!, 999_999)).toBe(61);
    expect(allowedCommands(ended, 'a').size).toBe(0);
    expect(run([{ type: 'dismissed', id: 'a' }], ended).calls).toEqual([]);
  });
});

describe('dialling', () => {
  it('is allowed only when registered and every other call is on hold', () => {
    expect(canDial(registered)).toBe(true);
    const talking = run(
      [
        { type: 'dialing', id: 'o', remote: '102', at: 0 },
        { type: 'established', id: 'o', at: 1000 },
      ],
      registered,
    );
    expect(canDial(talking)).toBe(false);
    expect(canDial(run([{ type: 'held', id: 'o', held: true }], talking))).toBe(true);
    expect(canDial({ ...registered, registration: 'not-configured' })).toBe(false);
  });
  it('shows ring time before the answer', () => {
    const s = run([{ type: 'dialing', id: 'o', remote: '102', at: 10_000 }], registered);
    expect(callTimerSec(s.calls[0]!, 17_500)).toBe(7);
  });
});

describe('attended transfer', () => {
  const consulting = run(
    [
      { type: 'incoming', id: 'a', remote: '79161234567', at: 0 },
      { type: 'established', id: 'a', at: 1000 },
      { type: 'held', id: 'a', held: true },
      { type: 'dialing', id: 'c', remote: '102', at: 2000, consultFor: 'a' },
    ],
    registered,
  );

  it('offers no second consultation and no completion before the target answers', () => {
    expect(allowedCommands(consulting, 'a').has('startConsult')).toBe(false);
    expect(sorted(allowedCommands(consulting, 'c'))).toEqual(['hangup']);
  });

  it('completes from the consultation leg once the target answered', () => {
    const answered = run([{ type: 'established', id: 'c', at: 5000 }], consulting);
    const commands = allowedCommands(answered, 'c');
    expect(commands.has('completeTransfer')).toBe(true);
    expect(commands.has('blindTransfer')).toBe(false);
    expect(commands.has('startConsult')).toBe(false);
    // The caller hung up meanwhile: nothing left to transfer.
    const gone = run([{ type: 'ended', id: 'a', at: 6000, reason: 'hangup' }], answered);
    expect(allowedCommands(gone, 'c').has('completeTransfer')).toBe(false);
    // The consultation ended: a new one may start.
    const over = run([{ type: 'ended', id: 'c', at: 6000, reason: 'hangup' }], answered);
    expect(allowedCommands(over, 'a').has('startConsult')).toBe(true);
  });
});

describe('ended calls', () => {
  it('keeps only the last three on screen', () => {
    let s = registered;
    for (const id of ['1', '2', '3', '4', '5']) {
      s = run(
        [
          { type: 'dialing', id, remote: '102', at: 0 },
          { type: 'ended', id, at: 1, reason: 'busy' },
        ],
        s,
      );
    }
    expect(s.calls.map((c) => c.id)).toEqual(['3', '4', '5']);
  });
});

describe('formatting and input', () => {
  it('formats the timer', () => {
    expect([0, 7, 65, 3600, 3725].map(formatTimer)).toEqual(['0:00', '0:07', '1:05', '1:00:00', '1:02:05']);
  });
  it('cleans what people type into a dial string', () => {
    expect(normaliseDialString('+7 (916) 123-45-67')).toBe('+79161234567');
    expect(normaliseDialString('*72#')).toBe('*72#');
    expect(normaliseDialString('')).toBeNull();
    expect(normaliseDialString('sip:evil@host')).toBeNull();
  });
});
