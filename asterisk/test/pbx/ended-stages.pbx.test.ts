import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CAPTURE_SCENARIOS } from '../../src/lab/capture-scenarios.ts';
import { LabApi } from './support/api-client.ts';
import { finalCardWhere } from './support/call-checks.ts';
import { type Lab, type LabServer, startLab } from './support/lab.ts';

/**
 * Calls that reach no queue or operator, on Debian's Asterisk with the product's configuration,
 * played by the same SIP peers as `npm run pbx:capture` scenarios 25–28
 * (asterisk/src/lab/capture-scenarios.ts): an operator checking voicemail (*97, VoiceMailMain),
 * a directed pickup the dialplan refuses, a caller leaving the IVR before choosing, a call out of
 * opening hours. The expected cards come from what the peers are told to do
 * (docs/reconciliation.md#service-calls, #ended-at-stage), never from the reconciler's output.
 */

interface Card {
  id: number;
  direction: string;
  status: string;
  answered_at: string | null;
  operator_endpoint: string | null;
  queue: string | null;
  talk_sec: number;
  hung_up_by: string | null;
  ended_at_stage: string | null;
  ivr_choice: string | null;
  attempts: unknown[];
}

let lab: Lab;
let server: LabServer;
let admin: LabApi;

beforeAll(async () => {
  lab = await startLab([{ id: 'pbx1', operators: { '101': 'sip', '102': 'sip', '103': 'sip' } }]);
  server = lab.servers[0]!;
  const password = await lab.addUser('adm', 'admin');
  admin = new LabApi(lab.apiUrl, await lab.login('adm', password));
});

afterAll(async () => {
  await lab?.stop();
});

async function play(name: string): Promise<void> {
  const scenario = CAPTURE_SCENARIOS.find((s) => s.name === name);
  if (!scenario) throw new Error(`no capture scenario ${name}`);
  await scenario.run(lab, server);
}

/** The final card of the call from `src` to `dst` (waits for the collector to write it). */
const card = (src: string, dst: string): Promise<Card> =>
  finalCardWhere<Card>(
    admin,
    `the call ${src} → ${dst}`,
    (c) => c.src_number === src && c.dst_number === dst,
    90_000,
  );

// Closed hours (27) change the dialplan's globals for the rest of the lab: it goes last.
describe('where calls that reach nobody end, on the real PBX', () => {
  it('*97 (VoiceMailMain) is an internal service call answered by the service, not an outbound call', async () => {
    await play('25-voicemail-check');
    const call = await card('101', '*97');
    expect(call).toMatchObject({
      direction: 'internal',
      status: 'answered',
      operator_endpoint: '101',
      talk_sec: 0,
      hung_up_by: 'operator',
      ended_at_stage: 'service',
      attempts: [],
    });
    expect(call.answered_at).not.toBeNull();
  });

  it('a directed pickup with nothing ringing is refused by the dialplan (Hangup(34))', async () => {
    await play('28-pickup-nothing-ringing');
    const call = await card('102', '**101');
    expect(call).toMatchObject({ status: 'failed', hung_up_by: 'system', ended_at_stage: 'refused' });
  });

  it('a caller who hangs up in the IVR before choosing ended in the IVR, abandoned', async () => {
    await play('26-ivr-hangup-before-choice');
    const call = await card('79161234586', '74951234567');
    expect(call).toMatchObject({
      direction: 'inbound',
      status: 'abandoned',
      queue: null,
      hung_up_by: 'customer',
      ended_at_stage: 'ivr',
      ivr_choice: null, // pressed nothing
      attempts: [],
    });
  });

  it('a call out of opening hours ends in the after-hours voicemail: missed, no queue', async () => {
    await play('27-after-hours-voicemail');
    const call = await card('79161234587', '74951234567');
    expect(call).toMatchObject({
      direction: 'inbound',
      status: 'missed',
      queue: null,
      ended_at_stage: 'voicemail',
      ivr_choice: null, // closed hours: no menu ran
      attempts: [],
    });
    // The journal finds it by its stage.
    const page = await admin.get<{ items: { id: number }[] }>('/calls?ended_at_stage=voicemail');
    expect(page.items.map((c) => c.id)).toContain(call.id);
  });
});
