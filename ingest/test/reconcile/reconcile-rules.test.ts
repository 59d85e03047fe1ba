import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { isRelevantRow, reconcile } from '../../src/reconcile/index.ts';
import type { CelRow } from '../../src/reconcile/types.ts';
import { readCdrCsv, readCelCsv } from '../../src/sources/csv-rows.ts';
import { fixtureOperators, loadScenario, scenarioNames } from '../fixtures.ts';

/** Rules beyond the hand-written field tables: who hung up, CDR cross-checks, order and duplicates. */

const run = (name: string, isOperator = fixtureOperators) => {
  const { cel, cdr } = loadScenario(name);
  return reconcile(cel, cdr, { isOperator });
};

describe('hung_up_by', () => {
  it('names the customer when the caller hangs up, the operator when the operator does', () => {
    expect(run('01-inbound-answered-caller-hangup').calls[0]!.hung_up_by).toBe('customer');
    expect(run('06-outbound-answered').calls[0]!.hung_up_by).toBe('operator');
    // Burst: 101 and 102 hang up their calls themselves (README of scenario 12).
    const burst = run('12-burst-20-concurrent').calls;
    expect(burst.find((c) => c.linkedid === '1795235269.45')!.hung_up_by).toBe('operator');
  });

  it('says system for an outgoing call Asterisk ended unanswered (busy)', () => {
    expect(run('07-outbound-busy').calls[0]!.hung_up_by).toBe('system');
  });
});

describe('CDR cross-check', () => {
  it('agrees when a non-operator party answers (103 treated as external)', () => {
    const isOperator = (_s: string, e: string) => e === '101' || e === '102';
    const call = run('12-burst-20-concurrent', isOperator).calls.find((c) => c.linkedid === '1795235269.47')!;
    expect(call.status).toBe('answered');
    expect(call.operator).toBeNull();
    expect(call.flags).not.toContain('cdr_disposition_mismatch');
  });

  it('flags a call whose CDR says a party answered while CEL shows no conversation', () => {
    const { cel, cdr } = loadScenario('01-inbound-answered-caller-hangup');
    const withoutBridges = cel.filter((r) => !r.eventType.startsWith('BRIDGE_'));
    const [call] = reconcile(withoutBridges, cdr, { isOperator: fixtureOperators }).calls;
    expect(call!.status).not.toBe('answered');
    expect(call!.flags).toContain('cdr_disposition_mismatch');
  });

  it('builds a cdr_only call when a linkedid has CDR but no CEL', () => {
    const { cdr } = loadScenario('06-outbound-answered');
    const [call] = reconcile([], cdr, { isOperator: fixtureOperators, closeAll: true }).calls;
    expect(call).toMatchObject({
      direction: 'outbound',
      status: 'answered',
      operator: '102',
      talk_sec: 10,
      flags: ['cdr_only'],
    });
  });
});

describe('input order and repetition', () => {
  it('gives the same calls whatever order the rows come in and with every row twice', () => {
    const { cel, cdr } = loadScenario('12-burst-20-concurrent');
    const reference = reconcile(cel, cdr, { isOperator: fixtureOperators }).calls;
    const shuffled: CelRow[] = [...cel].reverse();
    const doubled: CelRow[] = [...cel, ...cel.map((r) => ({ ...r, id: r.id + 100_000 }))];
    expect(reconcile(shuffled, cdr, { isOperator: fixtureOperators }).calls).toEqual(reference);
    expect(reconcile(doubled, [...cdr, ...cdr], { isOperator: fixtureOperators }).calls).toEqual(reference);
  });

  it('keeps calls open without LINKEDID_END and closes them after the idle timeout', () => {
    const { cel } = loadScenario('11-hold-resume');
    const open = cel.filter((r) => r.eventType !== 'LINKEDID_END');
    const last = Math.max(...open.map((r) => r.eventTime));
    expect(reconcile(open, [], { isOperator: fixtureOperators, now: last + 60_000 }).pending).toHaveLength(
      open.length,
    );
    const closed = reconcile(open, [], {
      isOperator: fixtureOperators,
      now: last + 3_600_000,
      idleTimeoutSec: 1800,
    });
    expect(closed.calls[0]).toMatchObject({ closed_by: 'idle_timeout', status: 'answered', operator: '101' });
  });

  it('closes a call cut right after the bridge (Asterisk killed mid-call) as answered, talk up to its last row', () => {
    const { cel } = loadScenario('01-inbound-answered-caller-hangup');
    const enters = cel.filter((r) => r.eventType === 'BRIDGE_ENTER').map((r) => r.id);
    const cut = cel.filter((r) => r.id <= Math.max(...enters));
    const last = Math.max(...cut.map((r) => r.eventTime));
    const [call] = reconcile(cut, [], {
      isOperator: fixtureOperators,
      now: last + 3_600_000,
      idleTimeoutSec: 60,
    }).calls;
    expect(call).toMatchObject({
      closed_by: 'idle_timeout',
      status: 'answered',
      operator: '101',
      talk_sec: 0,
    });
    expect(call!.ended_at).toBe(new Date(last).toISOString());
    expect(call!.attempts.find((a) => a.operator === '101')?.outcome).toBe('answered');
  });

  it("finds the attended transfer's target in the consultation bridge when Asterisk names it N/A (fixtures/asterisk22/atxfer-target-na)", () => {
    // 101 pressed *2 and dialled 5003 (the sales queue); Asterisk's ATTENDEDTRANSFER (#78) names no
    // target channel ("N/A"), its bridge2_id holds Local/5003@operators;1, whose ;2 half queued in sales.
    const dir = fileURLToPath(new URL('../../../fixtures/asterisk22/atxfer-target-na/', import.meta.url));
    const cel = readCelCsv(readFileSync(`${dir}cel.csv`, 'utf8'), { serverId: 'pbx1', zone: 'UTC' });
    const cdr = readCdrCsv(readFileSync(`${dir}cdr.csv`, 'utf8'), { serverId: 'pbx1', zone: 'UTC' });
    expect(cel.errors).toEqual([]);
    const transfer = cel.rows.find((r) => r.eventType === 'ATTENDEDTRANSFER')!;
    expect(transfer.extra).toContain('"transfer_target_channel_name":"N/A"');
    const { calls } = reconcile(cel.rows, cdr.rows, { isOperator: fixtureOperators });
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ direction: 'inbound', status: 'answered', operator: '102' });
    expect(calls[0]!.transfers.map((t) => [t.kind, t.from_operator, t.to])).toEqual([
      ['attended', '101', 'sales'],
    ]);
  });

  it('closes the Asterisk 22 capture of a crash mid-call as answered by 102 (fixtures/asterisk22/crash-mid-call)', () => {
    const dir = fileURLToPath(new URL('../../../fixtures/asterisk22/crash-mid-call/', import.meta.url));
    const cel = readCelCsv(readFileSync(`${dir}cel.csv`, 'utf8'), { serverId: 'pbx1', zone: 'UTC' });
    const cdr = readCdrCsv(readFileSync(`${dir}cdr.csv`, 'utf8'), { serverId: 'pbx1', zone: 'UTC' });
    expect(cel.errors).toEqual([]);
    expect(cdr.rows).toEqual([]);
    const last = Math.max(...cel.rows.map((r) => r.eventTime));
    const open = reconcile(cel.rows, [], {
      isOperator: fixtureOperators,
      now: last + 30_000,
      idleTimeoutSec: 60,
    });
    expect(open.calls).toEqual([]);
    const [call, ...others] = reconcile(cel.rows, [], {
      isOperator: fixtureOperators,
      now: last + 61_000,
      idleTimeoutSec: 60,
    }).calls;
    expect(others).toEqual([]);
    expect(call).toMatchObject({
      direction: 'inbound',
      status: 'answered',
      operator: '102',
      queue: 'support',
      src_number: '79161239901',
      closed_by: 'idle_timeout',
      talk_sec: 0,
      ended_at: new Date(last).toISOString(),
      ivr_choice: '3', // #28 DTMF 3 in WaitExten, then the menu's extension 3
    });
    expect(call!.attempts.map((a) => [a.operator, a.outcome])).toEqual([['102', 'answered']]);
  });

  it('skips unknown event types (site-specific user events)', () => {
    const { cel } = loadScenario('13-internal-call-101-to-102');
    const custom: CelRow = { ...cel[3]!, id: 999_999, eventType: 'USER_DEFINED', userDefType: 'MYEVENT' };
    const result = reconcile([...cel, custom], [], { isOperator: fixtureOperators });
    expect(result.calls).toHaveLength(1);
    expect(result.skippedEventTypes).toEqual({ USER_DEFINED: 1 });
  });
});

describe('inbound abandoned or missed', () => {
  it('is missed when the call goes to voicemail without any queue', () => {
    const { cel } = loadScenario('05-inbound-queue-timeout-voicemail');
    // The same call as if the dialplan sent it straight to VoiceMail: no Queue, no member legs.
    const direct = cel.filter(
      (r) => r.appName !== 'Queue' && r.appName !== 'AppQueue' && !/^PJSIP\/10[123]-/.test(r.chanName),
    );
    const [call] = reconcile(direct, [], { isOperator: fixtureOperators }).calls;
    expect(call).toMatchObject({ direction: 'inbound', status: 'missed', queue: null, attempts: [] });
  });

  it('is missed when Asterisk ends the call in the IVR (after-hours announcement), abandoned when the caller does', () => {
    const { cel } = loadScenario('14-ivr-abandon-before-queue');
    expect(reconcile(cel, [], { isOperator: fixtureOperators }).calls[0]!.status).toBe('abandoned');
    const bySystem = cel.map((r) =>
      r.eventType === 'HANGUP'
        ? {
            ...r,
            extra: r.extra.replace(
              '"hangupsource":"PJSIP/trunk-00000061"',
              '"hangupsource":"dialplan/builtin"',
            ),
          }
        : r,
    );
    expect(reconcile(bySystem, [], { isOperator: fixtureOperators }).calls[0]!.status).toBe('missed');
  });
});

describe('rows the reconciler does not need', () => {
  it.each(scenarioNames())('%s: the same calls without them', (name) => {
    const { cel, cdr } = loadScenario(name);
    const relevant = cel.filter(isRelevantRow);
    expect(relevant.length).toBeLessThan(cel.length);
    expect(reconcile(relevant, cdr, { isOperator: fixtureOperators }).calls).toEqual(
      reconcile(cel, cdr, { isOperator: fixtureOperators }).calls,
    );
  });
});

describe('CEL from older Asterisk releases', () => {
  it('reads BRIDGE_START/BRIDGE_END (Asterisk 11) like BRIDGE_ENTER/EXIT', () => {
    const { cel } = loadScenario('11-hold-resume');
    const modern = reconcile(cel, [], { isOperator: fixtureOperators }).calls[0]!;
    // Asterisk 11 logs one BRIDGE_START on the caller naming the peer, and one BRIDGE_END.
    const enter = cel.find((r) => r.eventType === 'BRIDGE_ENTER' && r.peer)!;
    const exit = cel.find((r) => r.eventType === 'BRIDGE_EXIT' && r.uniqueId === enter.uniqueId)!;
    const legacy = cel
      .filter((r) => !r.eventType.startsWith('BRIDGE_'))
      .concat([
        { ...enter, eventType: 'BRIDGE_START', extra: '' },
        { ...exit, eventType: 'BRIDGE_END', extra: '', peer: '' },
      ])
      .map((r) =>
        r.eventType === 'HANGUP'
          ? {
              ...r,
              extra: r.extra.replace(
                /^\{"hangupcause":(\d+),"hangupsource":"([^"]*)","dialstatus":"([^"]*)"\}$/,
                '$1,$2,$3',
              ),
            }
          : r,
      );
    const call = reconcile(legacy, [], { isOperator: fixtureOperators }).calls[0]!;
    expect(call).toMatchObject({ status: 'answered', operator: '101', answered_at: modern.answered_at });
    expect(call.talk_sec).toBeCloseTo(modern.talk_sec, 1);
    expect(call.hold_sec).toBeCloseTo(modern.hold_sec, 1);
  });
});
