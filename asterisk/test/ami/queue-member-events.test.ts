import { readFileSync } from 'node:fs';
import { SCENARIOS_DIR } from '@callcenter/ingest/testing/fixtures';
import { describe, expect, it } from 'vitest';
import type { AmiMessage } from '../../src/ami/ami-client.ts';
import { endpointOfInterface, queueMemberOf } from '../../src/ami/queue-member-events.ts';

/**
 * Queue member messages as Asterisk 20 really sends them: the QueueMemberStatus events of the
 * captures' ami.jsonl (header names lower-cased, as asterisk-manager hands them over).
 */

const captured = (scenario: string): AmiMessage[] =>
  readFileSync(`${SCENARIOS_DIR}${scenario}/ami.jsonl`, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, string>)
    .filter((event) => event.Event === 'QueueMemberStatus')
    .map((event) => Object.fromEntries(Object.entries(event).map(([k, v]) => [k.toLowerCase(), String(v)])));

describe('queueMemberOf', () => {
  it('reads the captured QueueMemberStatus events of scenario 12 (support and sales)', () => {
    const members = captured('12-burst-20-concurrent').map(queueMemberOf);
    const distinct = [
      ...new Set(members.map((m) => `${m!.queue} ${m!.memberInterface} ${m!.endpoint} ${m!.membership}`)),
    ];
    expect(distinct.sort()).toEqual([
      'sales PJSIP/102 102 static',
      'sales PJSIP/103 103 static',
      'support PJSIP/101 101 static',
      'support PJSIP/102 102 static',
      'support PJSIP/103 103 static',
    ]);
    expect(members.every((m) => m!.paused === false && m!.pausedReason === null)).toBe(true);
  });

  it('takes the phone behind a Local member from StateInterface, and reads pauses', () => {
    expect(
      queueMemberOf({
        event: 'QueueMember',
        queue: 'vip',
        name: 'Operator 103',
        location: 'Local/103@agents/n',
        stateinterface: 'PJSIP/103',
        membership: 'dynamic',
        paused: '1',
        pausedreason: 'lunch',
        status: '5',
      }),
    ).toEqual({
      queue: 'vip',
      memberInterface: 'Local/103@agents/n',
      endpoint: '103',
      membership: 'dynamic',
      paused: true,
      pausedReason: 'lunch',
      // AST_DEVICE_UNAVAILABLE: the phone is not registered.
      deviceStatus: 5,
    });
    expect(queueMemberOf({ event: 'QueueMemberStatus', queue: 'vip' })).toBeNull();
  });

  it('names endpoints from interfaces', () => {
    expect(endpointOfInterface('PJSIP/101')).toBe('101');
    expect(endpointOfInterface('SIP/op-7')).toBe('op-7');
    expect(endpointOfInterface('Local/101@from-queue/n')).toBe('101');
    expect(endpointOfInterface('PJSIP/')).toBeNull();
    expect(endpointOfInterface('nonsense')).toBeNull();
  });
});
