import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, LabApi } from './support/api-client.ts';
import { LAB_DID, type Lab, type LabServer, startLab } from './support/lab.ts';
import { type SippProcess, startSipp } from './support/sipp.ts';

/**
 * Click-to-call (POST /control/originate) on Debian's Asterisk with the product's configuration:
 * the operator's own phone rings first, then the dialplan calls the number. The expected card is
 * written from what the peers did, before looking at the reconciler's output
 * (docs/reconciliation.md#direction): an outbound call of the operator who clicked, answered by
 * the provider, talk about as long as the provider stayed (5 s), and the operator's own ring is
 * not an attempt (nobody called them).
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

interface Card {
  id: number;
  direction: string;
  status: string;
  operator_endpoint: string | null;
  dst_number: string | null;
  talk_sec: number;
  attempts: unknown[];
}

async function sipp(
  scenario: string,
  localPort: number,
  values: Record<string, string | number>,
): Promise<SippProcess> {
  return startSipp({
    scenario,
    values,
    workDir: join(lab.dir, 'sipp'),
    localPort,
    mediaPort: await lab.port(),
    remote: server.remote,
    timeoutSec: 40,
    autoAnswer: true,
  });
}

describe('click-to-call', () => {
  it('is an outbound call of the operator who clicked, answered by the callee', async () => {
    const provider = await sipp('answer-checking-caller.xml', server.trunkPort, {
      USER: 'provider',
      CALLER: LAB_DID,
      NOT_SHOWN: '9161234599',
      ID_HEADER: 'P-Asserted-Identity',
      TALK_MS: 5000,
    });
    await eventually('the provider reachable', 20_000, async () => {
      await server.cli('pjsip qualify trunk');
      await new Promise((r) => setTimeout(r, 500));
      return /Contact:\s+trunk\/\S+\s+\S+\s+Avail/.test(await server.cli('pjsip show contacts')) || undefined;
    });
    const phone = await sipp('phone-answer-updates.xml', await lab.registerPhone(server, '102'), {
      USER: '102',
      RING_MS: 300,
    });
    const originated = await operator.post('/control/originate', { number: '89161234599' });
    expect(originated.status, JSON.stringify(originated.body)).toBe(200);
    await phone.done;
    await provider.done;

    const card = await eventually('the click-to-call card', 60_000, async () => {
      const page = await operator.get<{
        items: { id: number; dst_number: string | null; status: string; live: boolean }[];
      }>('/calls?limit=20');
      const listed = page.items.find(
        (c) => c.dst_number === '89161234599' && c.status !== 'ringing' && !c.live,
      );
      return listed ? operator.get<Card>(`/calls/${listed.id}`) : undefined;
    });
    expect(card).toMatchObject({
      direction: 'outbound',
      status: 'answered',
      operator_endpoint: '102',
      dst_number: '89161234599',
    });
    expect(card.talk_sec).toBeGreaterThanOrEqual(4);
    expect(card.talk_sec).toBeLessThanOrEqual(6.5);
    expect(card.attempts).toEqual([]);
  });
});
