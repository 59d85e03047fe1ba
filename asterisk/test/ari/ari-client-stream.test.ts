import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AriClientStream, probeAri } from '../../src/ari/ari-client-stream.ts';
import type { AriEvent } from '../../src/ari/ari-events.ts';
import { AriPeer, scenarioEvents } from './ari-peer.ts';

/**
 * The guards around `ari-client` (asterisk/src/ari/ari-client-stream.ts) against a local ARI peer
 * serving Asterisk 22's own API description. The same cases on Debian's Asterisk are in
 * asterisk/test/pbx/ari-client.pbx.test.ts.
 */

const execFileAsync = promisify(execFile);
let peer: AriPeer;
let stream: AriClientStream | null = null;
const logged: string[] = [];

async function waitUntil(check: () => boolean, what: string, timeoutMs = 15_000) {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}; log: ${logged.join(' | ')}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

beforeAll(async () => {
  peer = await AriPeer.start('callcenter', 'peer-secret');
});

afterEach(async () => {
  await stream?.stop();
  stream = null;
  logged.length = 0;
  peer.serveApiDocs(true);
});

afterAll(async () => {
  await peer?.close();
});

describe('ari-client without a guard', () => {
  it('ends the process when the API description answers 404 (why it runs in a worker)', async () => {
    const server: Server = createServer((_req, res) => {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end('{"message":"Not found"}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    // Every promise of ari-client is handled here; the process still dies.
    const script = `require('ari-client').connect(${JSON.stringify(url)}, 'u', 'p').then(() => console.log('connected'), (e) => console.log('rejected', String(e))); setTimeout(() => console.log('survived'), 3000);`;
    const outcome = await execFileAsync(process.execPath, ['-e', script], { timeout: 20_000 }).then(
      ({ stdout }) => ({ code: 0, output: stdout }),
      (error: { code?: number; stdout?: string; stderr?: string }) => ({
        code: error.code ?? -1,
        output: `${error.stdout ?? ''}${error.stderr ?? ''}`,
      }),
    );
    await new Promise<void>((resolve) => server.close(() => resolve()));
    expect(outcome.code).not.toBe(0);
    expect(outcome.output).toContain("Can't read swagger JSON");
    expect(outcome.output).not.toContain('survived');
  });
});

describe('ari-client behind the guards', () => {
  it('probe: says why ARI cannot be used (404, 401, refused) and null when it can', async () => {
    const connection = { url: peer.url, username: 'callcenter', password: 'peer-secret' };
    expect(await probeAri(connection)).toBeNull();
    expect(await probeAri({ ...connection, password: 'wrong' })).toMatch(/401: the ARI user or password/);
    peer.serveApiDocs(false);
    expect(await probeAri(connection)).toMatch(/404: res_ari is not loaded/);
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    expect(await probeAri({ ...connection, url: `http://127.0.0.1:${port}` })).toMatch(
      /failed: ECONNREFUSED/,
    );
  });

  it('keeps running while the API description answers 404, says so once, connects when it appears', async () => {
    peer.serveApiDocs(false);
    const events: AriEvent[] = [];
    stream = new AriClientStream({
      url: peer.url,
      username: 'callcenter',
      password: 'peer-secret',
      app: 'callcenter',
      minDelayMs: 20,
      maxDelayMs: 50,
      onEvent: (event) => events.push(event),
      log: (line) => logged.push(line),
    });
    await stream.start(false);
    await new Promise((r) => setTimeout(r, 600));
    expect(stream.connected).toBe(false);
    const said = logged.filter((l) => l.includes('404'));
    expect(said).toHaveLength(1);
    expect(said[0]).toMatch(/res_ari is not loaded/);

    peer.serveApiDocs(true);
    await waitUntil(() => stream!.connected, 'the connection once the API description is served');
    const sample = scenarioEvents('01-inbound-answered-caller-hangup').slice(0, 5);
    peer.send(sample);
    await waitUntil(() => events.length === sample.length, 'the events');
    expect(events.map((e) => e.type)).toEqual(sample.map((e) => e.type));
    expect(await stream.listChannels()).toEqual([...peer.channels.values()]);
  });

  it('reconnects after the event socket is cut and after ari-client throws, resynchronising each time', async () => {
    const connects: boolean[] = [];
    stream = new AriClientStream({
      url: peer.url,
      username: 'callcenter',
      password: 'peer-secret',
      app: 'callcenter',
      minDelayMs: 20,
      maxDelayMs: 50,
      onEvent: () => {},
      onConnected: (reconnect) => connects.push(reconnect),
      log: (line) => logged.push(line),
    });
    await stream.start(true);
    expect(connects).toEqual([false]);
    peer.dropClients();
    await waitUntil(() => connects.length === 2, 'the reconnect');
    expect(connects).toEqual([false, true]);
    // An event type missing from the API description makes ari-client throw in its socket
    // handler (`eventModel.properties` of undefined): the worker ends, the test process does not.
    peer.send([{ type: 'NotAnAsteriskEvent' }]);
    await waitUntil(() => connects.length === 3, 'the reconnect after the worker died');
    expect(logged.some((l) => /ari-client failed: .*properties/.test(l))).toBe(true);
    expect(await stream.listChannels()).toEqual([...peer.channels.values()]);
  });
});
