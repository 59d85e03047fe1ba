import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { eventually, LabApi, type SseReader } from './support/api-client.ts';
import { ARI_PASSWORD, ARI_USERNAME, LAB_DID, type Lab, type LabServer, startLab } from './support/lab.ts';
import { deskPhone, inboundCall } from './support/phones.ts';
import { expectSippSuccess } from './support/sipp.ts';

/**
 * The main job's live source runs `ari-client` behind guards (ingest/src/ari/ari-client-stream.ts,
 * docs/architecture.md "Known sharp edges"). On Debian's Asterisk 22: ARI up (a ring pops on the
 * operator's SSE stream, the answer follows), res_ari not loaded (the API description answers
 * 404: the job keeps running and says why once) and Asterisk restarted under the running job
 * (stop.sh + start.sh on the same work folder: the source reconnects and pops again).
 */

let lab: Lab | null = null;

afterEach(async () => {
  await lab?.stop();
  lab = null;
});

const OPERATORS = { '101': 'webrtc', '102': 'sip', '103': 'sip' } as const;

/** Operator 102's live stream (user `op102`, endpoint 102). */
async function operatorStream(current: Lab): Promise<SseReader> {
  const password = await current.addUser('op102', 'operator', ['--endpoint', '102']);
  const api = new LabApi(current.apiUrl, await current.login('op102', password));
  const stream = await api.liveEvents();
  await stream.waitFor((e) => e.event === 'ready', 'ready');
  return stream;
}

/**
 * One inbound call into `support` (ring-all) that 102 answers after 1 s and ends after 2 s of
 * talk; resolves once the caller's SIPp is done. 103 is not registered (its ring fails at once).
 */
async function callAnsweredBy102(current: Lab, server: LabServer, cli: string): Promise<void> {
  const phone = await deskPhone(current, server, '102', {
    scenario: 'phone-answer.xml',
    ringMs: 1000,
    talkMs: 2000,
  });
  try {
    const caller = await inboundCall(current, server, { cli, did: LAB_DID, digit: '3', holdMs: 30_000 });
    await expectSippSuccess(caller, `caller ${cli}`);
  } finally {
    await phone.stop();
  }
}

const popsFor = (stream: SseReader, type: string, cli: string) =>
  stream.of(type).filter((e) => {
    const data = JSON.parse(e.data) as { call: { endpoint?: string; callerNumber?: string | null } };
    return data.call.endpoint === '102' && (type !== 'call.ringing' || data.call.callerNumber === cli);
  });

describe('ari-client in the main job, on a real Asterisk', () => {
  it('ARI up: connects through ari-client; a ring pops on the operator stream and the answer follows', async () => {
    lab = await startLab([{ id: 'pbx1', operators: { ...OPERATORS } }]);
    expect(lab.mainJobLog()).toMatch(/ARI: connected to ws:\/\/\S+ through ari-client/);
    const stream = await operatorStream(lab);
    await callAnsweredBy102(lab, lab.servers[0]!, '79161230101');
    await stream.waitFor(
      () => popsFor(stream, 'call.ringing', '79161230101').length > 0,
      'the screen-pop',
      20_000,
    );
    // call.answered comes from ARI only (the CEL side announces rings, not answers).
    await stream.waitFor((e) => e.event === 'call.answered', 'call.answered from ARI', 20_000);
    await stream.close();
    expect(lab.mainJobLog()).not.toMatch(/ari-client failed/);
    // Asterisk sends the application only the events the live tracker reads (its event filter):
    // not the ChannelVarset / ChannelDialplan flood of every call.
    const auth = Buffer.from(`${ARI_USERNAME}:${ARI_PASSWORD}`).toString('base64');
    const res = await fetch(`http://127.0.0.1:${lab.servers[0]!.httpPort}/ari/applications/callcenter`, {
      headers: { authorization: `Basic ${auth}` },
    });
    expect(res.status).toBe(200);
    const application = (await res.json()) as { events_allowed: { type: string }[] };
    const allowed = application.events_allowed.map((e) => e.type);
    expect(allowed).toEqual(expect.arrayContaining(['ChannelCreated', 'Dial', 'ChannelDestroyed']));
    expect(allowed).not.toContain('ChannelVarset');
    expect(lab.mainJobLog()).not.toMatch(/event filter was refused|no application event filter/);
  });

  it('res_ari not loaded: the API description answers 404; the job keeps running and says why once', async () => {
    lab = await startLab([{ id: 'pbx1', operators: { ...OPERATORS } }], {
      waitForAri: false,
      beforeStart: ({ etc }) => {
        const path = join(etc, 'modules.conf');
        const text = readFileSync(path, 'utf8');
        const without = text.replace(
          /^(load|require)\s*=>\s*res_ari[a-z_]*\.so\s*$/gm,
          '; left out by the test: $&',
        );
        expect(without).not.toEqual(text);
        writeFileSync(path, without);
      },
    });
    const current = lab;
    const server = current.servers[0]!;
    expect(await server.cli('module show like res_ari')).toMatch(/0 modules loaded/);
    const res = await fetch(`http://127.0.0.1:${server.httpPort}/ari/api-docs/resources.json`);
    expect(res.status).toBe(404);
    await eventually('the 404 in the main job log', 30_000, async () =>
      /answered 404: res_ari is not loaded/.test(current.mainJobLog()) ? true : undefined,
    );
    // Several probes later (backoff from 0.5 s): still running, said once, never connected.
    await new Promise((r) => setTimeout(r, 5000));
    expect((await fetch(`${current.apiUrl}/health`)).ok).toBe(true);
    expect(current.mainJobLog().match(/answered 404/g)).toHaveLength(1);
    expect(current.mainJobLog()).not.toMatch(/ARI: connected|ari-client failed/);
  });

  it('Asterisk restarted under the running job: the source reconnects and pops again', async () => {
    lab = await startLab([{ id: 'pbx1', operators: { ...OPERATORS } }]);
    const current = lab;
    const server = current.servers[0]!;
    const stream = await operatorStream(current);
    await callAnsweredBy102(current, server, '79161230201');
    await stream.waitFor(
      () => popsFor(stream, 'call.ringing', '79161230201').length > 0,
      'the first pop',
      20_000,
    );

    const connectsBefore = current.mainJobLog().match(/ARI: connected/g)?.length ?? 0;
    await server.stopAsterisk();
    await new Promise((r) => setTimeout(r, 2000));
    await server.startAsterisk();
    await eventually('the reconnect in the main job log', 90_000, async () =>
      (current.mainJobLog().match(/ARI: connected/g)?.length ?? 0) > connectsBefore ? true : undefined,
    );
    await callAnsweredBy102(current, server, '79161230202');
    await stream.waitFor(
      () => popsFor(stream, 'call.ringing', '79161230202').length > 0,
      'the pop after the restart',
      20_000,
    );
    await stream.waitFor(
      () => stream.of('call.answered').length >= 2,
      'call.answered from ARI after the restart',
      20_000,
    );
    await stream.close();
    expect((await fetch(`${current.apiUrl}/health`)).ok).toBe(true);
  });
});
