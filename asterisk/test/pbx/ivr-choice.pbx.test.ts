import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, LabApi } from './support/api-client.ts';
import { LAB_DID, type Lab, startLab } from './support/lab.ts';
import { deskPhone, inboundCall, RINGS_UNANSWERED } from './support/phones.ts';
import { expectSippSuccess } from './support/sipp.ts';

/**
 * The caller's IVR choice (docs/reconciliation.md#ivr-choice) on Debian's Asterisk with the
 * product's dialplan (asterisk/etc/extensions.conf): `[ivr-main]` 2 leads to the `[ivr-services]`
 * menu, whose 1 leads to queue sales; an extension ivr-main lacks (7) runs its `i` extension, which
 * plays the menu again. The expected choices are what the SIP caller is told to press, never the
 * reconciler's output.
 */

interface Card {
  id: number;
  status: string;
  queue: string | null;
  ivr_choice: string | null;
}

let lab: Lab;
let admin: LabApi;

beforeAll(async () => {
  lab = await startLab([{ id: 'pbx1', operators: { '101': 'sip', '102': 'sip', '103': 'sip' } }]);
  const password = await lab.addUser('adm', 'admin');
  admin = new LabApi(lab.apiUrl, await lab.login('adm', password));
});

afterAll(async () => {
  await lab?.stop();
});

/** The final card of the call from `cli` (waits for the collector to write it). */
async function finalCard(cli: string): Promise<Card> {
  const listed = await eventually(`the call from ${cli}`, 90_000, async () => {
    const page = await admin.get<{
      items: { id: number; src_number: string | null; status: string; live: boolean }[];
    }>('/calls?limit=50');
    return page.items.find((c) => c.src_number === cli && c.status !== 'ringing' && !c.live);
  });
  return admin.get<Card>(`/calls/${listed.id}`);
}

/** A caller who presses `digits` (one per menu) and hangs up `holdMs` after the first one. */
async function call(cli: string, digits: string, holdMs: number): Promise<void> {
  const server = lab.servers[0]!;
  const phones = await Promise.all(
    ['101', '102', '103'].map((endpoint) => deskPhone(lab, server, endpoint, RINGS_UNANSWERED)),
  );
  try {
    const caller = await inboundCall(lab, server, { cli, did: LAB_DID, digit: digits, holdMs });
    await expectSippSuccess(caller, `caller ${cli}`);
  } finally {
    for (const phone of phones) await phone.stop();
  }
}

describe('the IVR choice on the real PBX', () => {
  it('two menus make a path: 2 (paid services), then 1 (sales)', async () => {
    await call('79161234591', '21', 5000);
    const card = await finalCard('79161234591');
    expect(card).toMatchObject({ status: 'abandoned', queue: 'sales', ivr_choice: '2>1' });
    // The journal's filter finds it by its path.
    const page = await admin.get<{ items: { id: number }[] }>(
      `/calls?ivr_choice=${encodeURIComponent('2>1')}`,
    );
    expect(page.items.map((c) => c.id)).toEqual([card.id]);
  });

  it('an extension the menu lacks is i, then the menu again: 3 (support)', async () => {
    await call('79161234592', '73', 5000);
    const card = await finalCard('79161234592');
    expect(card).toMatchObject({ status: 'abandoned', queue: 'support', ivr_choice: 'i>3' });
  });

  it('no choice in the second menu in time is t: 2, then the timeout into sales', async () => {
    // ivr-services waits 5 s (WaitExten(5)) after its prompt; its t goes to queue sales.
    await call('79161234593', '2', 12_000);
    const card = await finalCard('79161234593');
    expect(card).toMatchObject({ status: 'abandoned', queue: 'sales', ivr_choice: '2>t' });
  });
});
