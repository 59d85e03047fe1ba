import { describe, expect, it } from 'vitest';
import { reconcile } from '../../src/reconcile/index.ts';
import type { CelRow } from '../../src/reconcile/types.ts';
import { fixtureOperators, loadScenario, SCENARIOS_22_DIR, SCENARIOS_DIR } from '../fixtures.ts';

/**
 * `ended_at_stage` (docs/reconciliation.md#ended-at-stage) of the captures whose hand-written
 * expectations predate the field (those from 25 on carry it in their expected cards). Each stage
 * is what the capture's README says the peers did: where the call was when it ended.
 */

const stages = (name: string, dir: string, rows?: (cel: CelRow[]) => CelRow[]) => {
  const { cel, cdr } = loadScenario(name, 'pbx1', dir);
  return reconcile(rows ? rows(cel) : cel, cdr, { isOperator: fixtureOperators }).calls.map(
    (c) => c.ended_at_stage,
  );
};

describe('ended_at_stage', () => {
  it.each([
    ['01-inbound-answered-caller-hangup', 'talk'],
    ['03-inbound-abandoned-in-queue', 'queue'], // members rang out (5 s), the caller left during the retry wait
    ['05-inbound-queue-timeout-voicemail', 'voicemail'],
    ['06-outbound-answered', 'talk'],
    ['07-outbound-busy', 'ringing'], // the callee's side answered busy: the call got as far as the callee
    ['13-internal-call-101-to-102', 'talk'],
    ['14-ivr-abandon-before-queue', 'ivr'], // hung up in the IVR (BackGround) before choosing
  ])('Asterisk 20 capture %s ends at %s', (name, stage) => {
    expect(stages(name, SCENARIOS_DIR)).toEqual([stage]);
  });

  it.each([
    ['03-inbound-abandoned-in-queue', 'ringing'], // the caller left while every member rang
    ['19-inbound-voicemail-queue-empty', 'voicemail'],
    ['24-conference', 'talk'],
  ])('Asterisk 22 capture %s ends at %s (first call)', (name, stage) => {
    expect(stages(name, SCENARIOS_22_DIR)[0]).toBe(stage);
  });

  it('an IVR caller whose call the dialplan ends (Busy) was refused, not an IVR hang-up', () => {
    // Capture 26 as if the IVR had run Busy() before the caller hung up on the busy tone.
    const withBusy = (cel: CelRow[]) => {
      const wait = cel.find((r) => r.eventType === 'APP_START' && r.appName === 'WaitExten')!;
      return cel.map((r) => (r === wait ? { ...r, appName: 'Busy', appData: '' } : r));
    };
    expect(stages('26-ivr-hangup-before-choice', SCENARIOS_22_DIR)).toEqual(['ivr']);
    expect(stages('26-ivr-hangup-before-choice', SCENARIOS_22_DIR, withBusy)).toEqual(['refused']);
  });

  it('a mailbox check is a service call by its application, whatever the number dialled', () => {
    const renumbered = (cel: CelRow[]) =>
      cel.map((r) => ({ ...r, exten: r.exten === '*97' ? '5555' : r.exten, cidDnid: '5555' }));
    const { cel, cdr } = loadScenario('25-voicemail-check', 'pbx1', SCENARIOS_22_DIR);
    const [call] = reconcile(renumbered(cel), cdr, { isOperator: fixtureOperators }).calls;
    expect([call!.direction, call!.status, call!.ended_at_stage, call!.dst_number]).toEqual([
      'internal',
      'answered',
      'service',
      '5555',
    ]);
    // Its CDR (ANSWERED, no dstchannel) agrees: Asterisk answered, no person did.
    expect(call!.flags).toEqual([]);
  });
});
