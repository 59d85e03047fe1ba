import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, LabApi } from './support/api-client.ts';
import { LAB_DID, type Lab, type LabServer, startLab } from './support/lab.ts';
import { type SippProcess, startSipp } from './support/sipp.ts';

/**
 * Who the called party is told is calling, on Debian's Asterisk with the product's configuration:
 * click-to-call (POST /control/originate) rings the operator's own phone with the number about to
 * be dialled as caller ID, then the dialplan (asterisk/etc/extensions.conf, operators) calls the
 * number. The callee must see the clinic's number (TRUNK_CALLERID; the lab's is LAB_DID) or the
 * calling operator, never their own number; and the provider is sent no later identity update
 * naming an internal extension (pjsip.conf trunk-endpoint, send_connected_line = no).
 */

let lab: Lab;
let server: LabServer;
let operator: LabApi;

beforeAll(async () => {
  lab = await startLab([{ id: 'pbx1', operators: { '102': 'sip', '103': 'sip' } }]);
  server = lab.servers[0]!;
  const password = await lab.addUser('op102', 'operator', ['--endpoint', '102']);
  operator = new LabApi(lab.apiUrl, await lab.login('op102', password));
});

afterAll(async () => {
  await lab?.stop();
});

/**
 * A called party on `localPort` that answers only if the caller is `caller` and `notShown` is
 * nowhere in From or `idHeader`, fails on any re-INVITE, and hangs up after `talkMs`.
 */
async function checkingCallee(
  localPort: number,
  values: { user: string; caller: string; notShown: string; idHeader: string; talkMs: number },
): Promise<SippProcess> {
  return startSipp({
    scenario: 'answer-checking-caller.xml',
    values: {
      USER: values.user,
      CALLER: values.caller,
      NOT_SHOWN: values.notShown,
      ID_HEADER: values.idHeader,
      TALK_MS: values.talkMs,
    },
    workDir: join(lab.dir, 'sipp'),
    localPort,
    mediaPort: await lab.port(),
    remote: server.remote,
    timeoutSec: 40,
    autoAnswer: true,
  });
}

/**
 * Operator `endpoint`'s desk phone, registered, answering after 300 ms and taking Asterisk's
 * connected-line re-INVITEs: `phone-answer-updates.xml` until the call ends, or
 * `phone-refer-updates.xml` (values REFER_AFTER_MS, TARGET) to transfer the other party.
 */
async function operatorPhone(
  endpoint: string,
  scenario: 'phone-answer-updates.xml' | 'phone-refer-updates.xml',
  values: Record<string, string | number> = {},
): Promise<SippProcess> {
  const localPort = await lab.registerPhone(server, endpoint);
  return startSipp({
    scenario,
    values: { USER: endpoint, RING_MS: 300, ...values },
    workDir: join(lab.dir, 'sipp'),
    localPort,
    mediaPort: await lab.port(),
    remote: server.remote,
    timeoutSec: 40,
    autoAnswer: true,
  });
}

/**
 * Waits for a scenario of this file to reach its end, which stops SIPp with exit code 97 (its
 * `stop_now`), and for SIPp to have logged no failed check (a header that does not name the
 * expected caller, or names the number dialled) and no unexpected request (a re-INVITE): an
 * unexpected request also leaves the call unfinished until SIPp's own timeout, another code.
 */
async function expectScenarioEnd(sipp: SippProcess, what: string): Promise<void> {
  const result = await sipp.done;
  if (result.code !== 97 || /Failed regexp match|unexpected message/.test(result.errors))
    throw new Error(`sipp ${what} exited ${result.code}:\n${result.errors}`);
}

describe('click-to-call', () => {
  it("shows the provider the clinic's number, never the number dialled, nor a transfer's extension", async () => {
    // 102 clicks to call 8 916 123-45-67; once the provider answered, 102 transfers the call
    // blind to 103 (4 s after Asterisk's last re-INVITE to 102, room for a loaded machine). The
    // provider must see the clinic's number in the INVITE and get no re-INVITE naming 103 when 103
    // answers; it hangs up after 15 s, which ends the call.
    const provider = await checkingCallee(server.trunkPort, {
      user: 'provider',
      caller: LAB_DID,
      notShown: '9161234567',
      idHeader: 'P-Asserted-Identity',
      talkMs: 15_000,
    });
    // Asterisk sends no call to a trunk contact its qualify found unreachable (nobody listened
    // on the provider's port until now): qualify again, answered by the provider's SIPp (-aa).
    await eventually('the provider reachable', 20_000, async () => {
      await server.cli('pjsip qualify trunk');
      await new Promise((r) => setTimeout(r, 500));
      return /Contact:\s+trunk\/\S+\s+\S+\s+Avail/.test(await server.cli('pjsip show contacts')) || undefined;
    });
    const target = await operatorPhone('103', 'phone-answer-updates.xml');
    const calling = await operatorPhone('102', 'phone-refer-updates.xml', {
      REFER_AFTER_MS: 4000,
      TARGET: '103',
    });
    const originated = await operator.post('/control/originate', { number: '89161234567' });
    expect(originated.status, JSON.stringify(originated.body)).toBe(200);
    await expectScenarioEnd(calling, 'phone 102 (answers, transfers to 103)');
    await expectScenarioEnd(target, 'phone 103 (answers the transferred call)');
    await expectScenarioEnd(provider, 'the provider (From/P-Asserted-Identity, no re-INVITE)');
  });

  it('shows another operator the calling operator, not their own extension', async () => {
    const callee = await checkingCallee(await lab.registerPhone(server, '103'), {
      user: '103',
      caller: '102',
      notShown: 'sip:103@',
      idHeader: 'Remote-Party-ID',
      talkMs: 3000,
    });
    const phone = await operatorPhone('102', 'phone-answer-updates.xml');
    const originated = await operator.post('/control/originate', { number: '103' });
    expect(originated.status, JSON.stringify(originated.body)).toBe(200);
    await expectScenarioEnd(phone, 'phone 102');
    await expectScenarioEnd(callee, 'phone 103 (From/Remote-Party-ID)');
  });
});
