import { describe, expect, it } from 'vitest';
import { reconcile } from '../../src/reconcile/index.ts';
import type { CelRow } from '../../src/reconcile/types.ts';
import { fixtureOperators, loadScenario, SCENARIOS_22_DIR, SCENARIOS_DIR } from '../fixtures.ts';

/**
 * `ivr_choice` (docs/reconciliation.md#ivr-choice) of the Asterisk 20 captures, written by hand
 * from their READMEs and the caller's DTMF row in cel.csv (these captures' dialplan runs
 * BackGround in from-trunk at the DID's extension and jumps to the digit's extension of the same
 * context), and of variants of Asterisk 22 capture 01 (WaitExten in ivr-main) edited to show
 * nested menus, timeouts, invalid entries and BackGround's context argument.
 */

const choices = (name: string, dir: string, rows?: (cel: CelRow[]) => CelRow[]) => {
  const { cel, cdr } = loadScenario(name, 'pbx1', dir);
  return reconcile(rows ? rows(cel) : cel, cdr, { isOperator: fixtureOperators }).calls.map(
    (c) => c.ivr_choice,
  );
};

describe('ivr_choice', () => {
  it.each([
    ['01-inbound-answered-caller-hangup', '1'], // "the caller presses 1 … enters queue support"
    ['03-inbound-abandoned-in-queue', '1'], // "IVR digit 1 -> queue support"
    ['04-inbound-rna-then-answered-rrmemory', '2'], // "IVR digit 2 -> queue sales"
    ['05-inbound-queue-timeout-voicemail', '1'], // "digit 1 -> queue support"
    ['06-outbound-answered', null], // outbound: no menu
    ['07-outbound-busy', null],
    ['09-blind-transfer-refer', '1'], // #457 DTMF 1 during BackGround
    ['10-attended-transfer-refer-replaces', '1'], // #1426 DTMF 1
    ['11-hold-resume', '1'], // #526 DTMF 1
    ['13-internal-call-101-to-102', null], // internal: no menu
    ['14-ivr-abandon-before-queue', null], // hung up during the prompt: next is the h extension
  ])('Asterisk 20 capture %s: %s', (name, choice) => {
    expect(choices(name, SCENARIOS_DIR)).toEqual([choice]);
  });

  it('Asterisk 20 burst: group D (7916554000N) pressed 2 (sales), groups A-C pressed 1', () => {
    const { cel, cdr } = loadScenario('12-burst-20-concurrent', 'pbx1', SCENARIOS_DIR);
    const calls = reconcile(cel, cdr, { isOperator: fixtureOperators }).calls;
    expect(calls).toHaveLength(20);
    for (const call of calls)
      expect(call.ivr_choice, call.src_number ?? '').toBe(call.src_number?.startsWith('7916554') ? '2' : '1');
  });

  // Capture 01 of scenarios-22: #27 WaitExten (s, ivr-main), #28 DTMF 3, #29 APP_END,
  // #30 APP_START Goto(queue-support,s,1) at exten 3 of ivr-main.
  const CAPTURE = '01-inbound-answered-caller-hangup';
  const at = (cel: CelRow[], id: number) => cel.findIndex((r) => r.id === id);
  /** Rows of a second menu (BackGround + WaitExten at `s` of `context`, then a jump to `exten`) spliced in before #30. */
  const secondMenu = (cel: CelRow[], context: string, exten: string, firstExten = '3'): CelRow[] => {
    const i = at(cel, 30);
    const base = cel[i]!;
    const row = (
      id: number,
      eventType: CelRow['eventType'],
      appName: string,
      ext: string,
      ctx: string,
    ): CelRow => ({
      ...base,
      id,
      eventType,
      appName,
      appData: '',
      exten: ext,
      context: ctx,
    });
    const goto = { ...base, exten: firstExten };
    return [
      ...cel.slice(0, i),
      { ...goto, id: 30 },
      { ...goto, id: 30.1, eventType: 'APP_END' as const },
      row(30.2, 'APP_START', 'WaitExten', 's', context),
      row(30.3, 'APP_END', 'WaitExten', 's', context),
      row(30.4, 'APP_START', 'Goto', exten, context),
      ...cel.slice(i + 1),
    ];
  };

  it('a capture of the Asterisk 22 set: the digit pressed in WaitExten', () => {
    expect(choices(CAPTURE, SCENARIOS_22_DIR)).toEqual(['3']);
  });

  it('nested menus make a path: 2 in the first menu, then 1 in the second', () => {
    expect(choices(CAPTURE, SCENARIOS_22_DIR, (cel) => secondMenu(cel, 'ivr-services', '1', '2'))).toEqual([
      '2>1',
    ]);
  });

  it('timeout and invalid entries are kept as t and i', () => {
    const relabel = (exten: string) => (cel: CelRow[]) => cel.map((r) => (r.id === 30 ? { ...r, exten } : r));
    expect(choices(CAPTURE, SCENARIOS_22_DIR, relabel('t'))).toEqual(['t']);
    expect(choices(CAPTURE, SCENARIOS_22_DIR, relabel('i'))).toEqual(['i']);
    // The hangup extension is no choice: a caller who hung up in the menu chose nothing.
    expect(choices(CAPTURE, SCENARIOS_22_DIR, relabel('h'))).toEqual([null]);
    // An invalid entry, the menu again, then 3.
    expect(choices(CAPTURE, SCENARIOS_22_DIR, (cel) => secondMenu(cel, 'ivr-main', '3', 'i'))).toEqual([
      'i>3',
    ]);
  });

  it('an application after the menu at the same extension, or in another context, is no choice', () => {
    // The dialplan went on at `s` (the menu fell through to its next priority).
    const sameExten = (cel: CelRow[]) => cel.map((r) => (r.id === 30 ? { ...r, exten: 's' } : r));
    expect(choices(CAPTURE, SCENARIOS_22_DIR, sameExten)).toEqual([null]);
    const otherContext = (cel: CelRow[]) =>
      cel.map((r) => (r.id === 30 ? { ...r, context: 'elsewhere' } : r));
    expect(choices(CAPTURE, SCENARIOS_22_DIR, otherContext)).toEqual([null]);
  });

  it("BackGround's context argument: the choice is read in that context", () => {
    // As if the menu were BackGround(prompt,,,menu-b) and the caller's 3 led to menu-b.
    const edited = (cel: CelRow[]) =>
      cel.map((r) =>
        r.id === 27 || r.id === 29
          ? { ...r, appName: 'BackGround', appData: 'custom/ivr-main,,,menu-b' }
          : r.id === 30
            ? { ...r, context: 'menu-b' }
            : r,
      );
    expect(choices(CAPTURE, SCENARIOS_22_DIR, edited)).toEqual(['3']);
  });

  it('an outbound call and an IVR hang-up have none (Asterisk 22)', () => {
    expect(choices('06-outbound-answered', SCENARIOS_22_DIR)).toEqual([null]);
    expect(choices('26-ivr-hangup-before-choice', SCENARIOS_22_DIR)).toEqual([null]);
  });
});
