import { describe, expect, it } from 'vitest';
import type { LiveMessage } from '../../live/index.ts';
import { dismissPop, MAX_POPS, type ScreenPop, screenPopReducer } from '../screen-pop/screen-pop-state.ts';

const ref = (endpoint: string | null, linkedid = '1718000000.10', channelId = '1718000000.12') => ({
  id: 42,
  serverId: 'pbx1',
  linkedid,
  channelId,
  endpoint,
});

const ringing = (endpoint: string, linkedid?: string): LiveMessage => ({
  type: 'call.ringing',
  id: '1',
  data: {
    id: 1,
    type: 'call.ringing',
    at: '2025-03-03T09:00:01Z',
    call: {
      ...ref(endpoint, linkedid),
      direction: 'inbound',
      callerNumber: '79161234567',
      did: '74951234567',
      queue: 'support',
      startedAt: '2025-03-03T09:00:00Z',
      provisional: true,
    },
    history: [
      {
        id: 7,
        startedAt: '2025-02-01T10:00:00Z',
        direction: 'inbound',
        status: 'answered',
        queue: 'support',
        operatorEndpoint: '102',
        talkSec: 95,
        purpose: 'Запись на приём',
        category: 'Терапия',
        subcategory: null,
        notes: 'Записан на 5 февраля',
        needsCallback: false,
        cardCompleted: true,
      },
    ],
  },
});

const state = (type: string, endpoint: string | null, channelId?: string): LiveMessage => ({
  type,
  id: '2',
  data: { call: ref(endpoint, undefined, channelId) },
});

const run = (messages: LiveMessage[], me = '101', from: ScreenPop[] = []) =>
  messages.reduce((pops, m) => screenPopReducer(pops, m, me, 1000), from);

describe('screenPopReducer', () => {
  it('pops a ringing call for my endpoint with caller, DID, queue and history', () => {
    const pops = run([ringing('101')]);
    expect(pops).toHaveLength(1);
    expect(pops[0]).toMatchObject({
      key: 'pbx1/1718000000.10',
      callId: 42,
      callerNumber: '79161234567',
      did: '74951234567',
      queue: 'support',
      phase: 'ringing',
    });
    expect(pops[0]!.history[0]).toMatchObject({
      id: 7,
      purpose: 'Запись на приём',
      notes: 'Записан на 5 февраля',
    });
  });

  it('ignores rings of other endpoints, and everything without an endpoint of mine', () => {
    expect(run([ringing('102')])).toEqual([]);
    expect(run([ringing('101')], '')).toEqual([]);
  });

  it('ignores malformed events', () => {
    const broken: LiveMessage = { type: 'call.ringing', id: '1', data: { call: { id: 'x' } } };
    const before: ScreenPop[] = [];
    expect(screenPopReducer(before, broken, '101', 0)).toBe(before);
  });

  it('follows my leg: answered, held, unheld, hung up', () => {
    expect(run([ringing('101'), state('call.answered', '101')])[0]!.phase).toBe('talking');
    expect(run([ringing('101'), state('call.answered', '101'), state('call.held', '101')])[0]!.phase).toBe(
      'held',
    );
    expect(
      run([
        ringing('101'),
        state('call.answered', '101'),
        state('call.held', '101'),
        state('call.unheld', '101'),
      ])[0]!.phase,
    ).toBe('talking');
    expect(run([ringing('101'), state('call.answered', '101'), state('call.hangup', '101')])[0]!.phase).toBe(
      'ended',
    );
  });

  it('a ring that stops unanswered is missed; answered by a colleague is marked so', () => {
    expect(run([ringing('101'), state('call.hangup', '101')])[0]!.phase).toBe('missed');
    const elsewhere = run([ringing('101'), state('call.answered', '102', 'other-channel')]);
    expect(elsewhere[0]!.phase).toBe('answered-elsewhere');
    // The colleague's hang-up later does not turn it into "missed".
    expect(run([state('call.hangup', '102', 'other-channel')], '101', elsewhere)[0]!.phase).toBe(
      'answered-elsewhere',
    );
  });

  it('a call I transferred stays transferred when my leg and later the caller hang up', () => {
    const transferred = run([
      ringing('101'),
      state('call.answered', '101'),
      state('call.transferred', '101'),
      state('call.hangup', '101'),
      state('call.hangup', null, 'caller'),
    ]);
    expect(transferred[0]!.phase).toBe('transferred');
  });

  it('the caller hanging up (no endpoint) ends my call', () => {
    expect(
      run([ringing('101'), state('call.answered', '101'), state('call.hangup', null, 'caller')])[0]!.phase,
    ).toBe('ended');
  });

  it('keeps one pop per call, newest first, at most MAX_POPS', () => {
    const again = run([ringing('101'), state('call.hangup', '101'), ringing('101')]);
    expect(again).toHaveLength(1);
    expect(again[0]!.phase).toBe('ringing');
    const many = run(Array.from({ length: MAX_POPS + 2 }, (_, i) => ringing('101', `17180000${i}.1`)));
    expect(many).toHaveLength(MAX_POPS);
    expect(many[0]!.linkedid).toBe(`17180000${MAX_POPS + 1}.1`);
    expect(dismissPop(many, many[0]!.key)).toHaveLength(MAX_POPS - 1);
  });

  it('leaves events of calls it never popped alone', () => {
    const pops = run([ringing('101')]);
    expect(screenPopReducer(pops, state('call.hangup', '101'), '101', 0)).not.toBe(pops);
    // Another call: another linkedid and another channel (the same channel under another linkedid
    // is my leg moved by a transfer, followed below).
    const other: LiveMessage = {
      type: 'call.hangup',
      id: '3',
      data: { call: ref('101', 'unknown', '1718000009.99') },
    };
    expect(screenPopReducer(pops, other, '101', 0)).toBe(pops);
    expect(screenPopReducer(pops, { type: 'call.updated', id: '4', data: {} }, '101', 0)).toBe(pops);
  });

  it('a canceled ring (cause 26, answered by another member) is not a miss', () => {
    const hangup: LiveMessage = { type: 'call.hangup', id: '5', data: { call: ref('101'), cause: 26 } };
    expect(run([ringing('101'), hangup])[0]!.phase).toBe('answered-elsewhere');
  });

  it('follows the card row where only CEL is read (no ARI events after the ring)', () => {
    const row = (status: string, operator: string | null, ended: string | null): LiveMessage => ({
      type: ended ? 'call.ended' : 'call.updated',
      id: '6',
      data: { call: { id: 42, status, operator_endpoint: operator, ended_at: ended } },
    });
    expect(run([ringing('101'), row('ringing', null, null)])[0]!.phase).toBe('ringing');
    expect(run([ringing('101'), row('ringing', '101', null)])[0]!.phase).toBe('talking');
    expect(run([ringing('101'), row('answered', '101', '2026-11-21T04:22:02Z')])[0]!.phase).toBe('ended');
    expect(run([ringing('102'), row('answered', '101', '2026-11-21T04:22:02Z')], '102')[0]!.phase).toBe(
      'answered-elsewhere',
    );
    expect(run([ringing('101'), row('abandoned', null, '2026-11-21T04:22:02Z')])[0]!.phase).toBe('missed');
  });

  describe('follows the call through an attended transfer (101 consults 102, then transfers)', () => {
    const CALL = '1718000000.10';
    const CONSULT = '1718000005.20';
    const consultRing = (): LiveMessage => {
      const m = ringing('102', CONSULT);
      const data = m.data as { call: Record<string, unknown> };
      data.call = { ...data.call, id: 43, channelId: '1718000005.21', direction: 'internal' };
      return m;
    };
    const ended = (operator: string): LiveMessage => ({
      type: 'call.ended',
      id: '9',
      data: {
        call: {
          id: 42,
          linkedid: CALL,
          linkedids: [CALL, CONSULT],
          status: 'answered',
          operator_endpoint: operator,
          ended_at: '2026-11-21T04:30:03Z',
        },
      },
    });
    const transferred: LiveMessage = {
      type: 'call.transferred',
      id: '7',
      data: {
        call: ref('101', CALL, '1718000000.12'),
        transfer: { kind: 'attended', to: '102', targetChannelId: '1718000005.21' },
      },
    };

    it("102's pop (rung for the consultation) moves to the transferred call and ends with it", () => {
      const answered: LiveMessage = {
        type: 'call.answered',
        id: '6',
        data: { call: { ...ref('102', CONSULT, '1718000005.21'), id: 43 } },
      };
      let pops = run([consultRing(), answered, transferred], '102');
      expect(pops[0]).toMatchObject({ phase: 'talking', linkedid: CALL, callId: 42, key: `pbx1/${CALL}` });
      const hangup: LiveMessage = {
        type: 'call.hangup',
        id: '8',
        data: { call: ref('102', CALL, '1718000005.21'), cause: 16 },
      };
      pops = run([hangup], '102', pops);
      expect(pops[0]!.phase).toBe('ended');
    });

    it("102's pop is not left ringing on a merged card: the ended card lists the consultation's linkedid", () => {
      const pops = run([consultRing(), ended('102')], '102');
      expect(pops[0]).toMatchObject({ phase: 'ended', callId: 42 });
    });

    it("101's pop says transferred, never answered by another", () => {
      const answered: LiveMessage = { type: 'call.answered', id: '3', data: { call: ref('101', CALL) } };
      const hangup: LiveMessage = {
        type: 'call.hangup',
        id: '8',
        data: { call: ref('101', CALL), cause: 16 },
      };
      expect(run([ringing('101', CALL), answered, transferred, hangup, ended('102')])[0]!.phase).toBe(
        'transferred',
      );
      // Only the card rows after the answer (a transfer event lost): I talked, 102 finished it.
      expect(run([ringing('101', CALL), answered, ended('102')])[0]!.phase).toBe('transferred');
    });
  });
});
