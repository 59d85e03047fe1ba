import { AriPeer, scenarioEvents } from '@callcenter/asterisk/testing/ari-peer';
import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../src/app.ts';
import type { Role } from '../src/auth/auth-user.ts';
import { type ApiTestKit, openApiTestKit } from './support/api-test-kit.ts';

/**
 * `/control/...` against a local ARI peer holding the channels of a real capture (scenario 11:
 * the caller PJSIP/trunk 1795235235.41 bridged with operator 101's 1795235236.42): the right ARI
 * REST requests for the owner, 403 for another operator, Asterisk's refusals mapped, 503 without
 * ARI. And `GET /me/softphone`.
 */

const OP101_CHANNEL = '1795235236.42';
const CALLER_CHANNEL = '1795235235.41';

let kit: ApiTestKit;
let peer: AriPeer;
let app: ReturnType<typeof createApp>;
const tokens: Record<string, string> = {};

const call = (path: string, who: string, json?: unknown) =>
  app.request(path, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${tokens[who]}`,
      ...(json === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: json === undefined ? undefined : JSON.stringify(json),
  });

const sent = () => peer.requests.filter((r) => !(r.method === 'GET' && r.path.startsWith('/ari/channels/')));

beforeAll(async () => {
  peer = await AriPeer.start('callcenter', 'ari-secret');
  kit = await openApiTestKit({
    ari: {
      serverId: 'pbx1',
      url: peer.url,
      username: 'callcenter',
      password: 'ari-secret',
      app: 'callcenter',
      dialContext: 'operators',
      listenContext: 'supervisor-listen',
    },
    softphone: {
      wssUrl: 'wss://pbx.clinic.test:8089/ws',
      domain: 'pbx.clinic.test',
      iceServers: [{ urls: ['stun:stun.clinic.test:3478'] }],
    },
  });
  const { pool, db } = kit.stores.postgres;
  app = createApp({ db, pool, clickhouse: kit.stores.clickhouse, config: kit.config });
  const specs: Record<string, { role: Role; endpoint?: string; queues?: string[] }> = {
    op101: { role: 'operator', endpoint: '101' },
    op102: { role: 'operator', endpoint: '102' },
    op150: { role: 'operator', endpoint: '150' },
    sup: { role: 'supervisor', queues: ['support'] },
    // A supervisor of support and one of sales, each with a desk phone of their own.
    supPhone: { role: 'supervisor', queues: ['support'], endpoint: '150' },
    salesPhone: { role: 'supervisor', queues: ['sales'], endpoint: '151' },
    admin: { role: 'admin' },
  };
  for (const [who, spec] of Object.entries(specs)) {
    tokens[who] = (await kit.user({ login: `ctl-${who}`, ...spec })).token;
  }
  // The call of scenario 11 up to the moment 101 and the caller are bridged.
  const events = scenarioEvents('11-hold-resume');
  const bridged = events.findIndex(
    (e) => e.type === 'ChannelEnteredBridge' && e.channel?.id === CALLER_CHANNEL,
  );
  peer.apply(events.slice(0, bridged + 1));
});

afterAll(async () => {
  await peer?.close();
  await kit?.dispose();
});

beforeEach(() => {
  peer.requests.length = 0;
  peer.clearForced();
});

describe('call control through ARI', () => {
  it('click-to-call rings the operator own endpoint into the operators context, and is audited', async () => {
    const response = await call('/control/originate', 'op101', { number: '8 (916) 123-45-67' });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { channelId: string; action: string };
    expect(body).toEqual({ channelId: expect.stringMatching(/^9000000000\.\d+$/), action: 'originate' });
    expect(sent()).toEqual([
      {
        method: 'POST',
        path: '/ari/channels',
        query: {
          endpoint: 'PJSIP/101',
          extension: '89161234567',
          context: 'operators',
          priority: '1',
          callerId: '"89161234567" <89161234567>',
          timeout: '30',
        },
        body: null,
      },
    ]);
    const audit = await sql<{ action: string; target: string; details: { number: string } }>`
      SELECT action, target, details FROM app.audit_log WHERE login = 'ctl-op101' AND action = 'call_originate'`.execute(
      kit.stores.postgres.db,
    );
    expect(audit.rows).toEqual([
      { action: 'call_originate', target: `channel:${body.channelId}`, details: { number: '89161234567' } },
    ]);
  });

  it('validates numbers (zod + libphonenumber) and needs an endpoint of your own', async () => {
    for (const number of ['abc', '1', '+7 916', '123456789012345678901234567890123', '1; DROP TABLE x']) {
      const response = await call('/control/originate', 'op101', { number });
      expect(response.status, number).toBe(400);
      expect(((await response.json()) as { error: string }).error).toBe('validation_failed');
    }
    expect((await call('/control/originate', 'op101', { number: '102', extra: 1 })).status).toBe(400);
    expect((await call('/control/originate', 'op101', { number: '102' })).status).toBe(200);
    const none = await call('/control/originate', 'sup', { number: '102' });
    expect(none.status).toBe(409);
    expect(((await none.json()) as { error: string }).error).toBe('no_endpoint');
    expect(sent().filter((r) => r.method === 'POST')).toHaveLength(1);
  });

  it('hold, unhold and hangup send the ARI requests for the owner of the channel', async () => {
    expect((await call(`/control/channels/${OP101_CHANNEL}/hold`, 'op101')).status).toBe(200);
    expect((await call(`/control/channels/${OP101_CHANNEL}/unhold`, 'op101')).status).toBe(200);
    expect((await call(`/control/channels/${OP101_CHANNEL}/hangup`, 'op101')).status).toBe(200);
    expect(sent().map((r) => `${r.method} ${r.path}`)).toEqual([
      `POST /ari/channels/${OP101_CHANNEL}/hold`,
      `DELETE /ari/channels/${OP101_CHANNEL}/hold`,
      `DELETE /ari/channels/${OP101_CHANNEL}`,
    ]);
  });

  it("refuses another operator's channel (and a supervisor without endpoint); an admin may act on any", async () => {
    for (const who of ['op102', 'sup']) {
      for (const action of ['hold', 'unhold', 'hangup']) {
        const response = await call(`/control/channels/${OP101_CHANNEL}/${action}`, who);
        expect(response.status, `${who} ${action}`).toBe(403);
      }
      expect((await call(`/control/channels/${OP101_CHANNEL}/transfer`, who, { to: '103' })).status).toBe(
        403,
      );
    }
    expect(sent()).toEqual([]);
    expect((await call(`/control/channels/${CALLER_CHANNEL}/hangup`, 'admin')).status).toBe(200);
    expect(sent().map((r) => `${r.method} ${r.path}`)).toEqual([`DELETE /ari/channels/${CALLER_CHANNEL}`]);
  });

  it('blind transfer: the other party of the bridge continues at operators,<to>,1; the operator leaves', async () => {
    const response = await call(`/control/channels/${OP101_CHANNEL}/transfer`, 'op101', { to: '102' });
    expect(response.status).toBe(200);
    expect(sent().map((r) => `${r.method} ${r.path} ${new URLSearchParams(r.query).toString()}`)).toEqual([
      'GET /ari/bridges ',
      `POST /ari/channels/${CALLER_CHANNEL}/continue context=operators&extension=102&priority=1`,
      `DELETE /ari/channels/${OP101_CHANNEL} reason=normal`,
    ]);
  });

  it("maps Asterisk's answers: 409 not in Stasis, 404 gone, 502 unreachable; 503 without ARI", async () => {
    peer.respondWith('POST', /\/hold$/, 409, { message: 'Channel not in Stasis application' });
    const refused = await call(`/control/channels/${OP101_CHANNEL}/hold`, 'op101');
    expect(refused.status).toBe(409);
    expect(await refused.json()).toMatchObject({
      error: 'asterisk_refused',
      message: 'Asterisk refused: Channel not in Stasis application',
    });
    const gone = await call('/control/channels/1795299999.99/hangup', 'op101');
    expect(gone.status).toBe(404);

    const { pool, db } = kit.stores.postgres;
    const unreachable = createApp({
      db,
      pool,
      clickhouse: null,
      config: { ...kit.config, ari: { ...kit.config.ari!, url: 'http://127.0.0.1:9' } },
    });
    const down = await unreachable.request(`/control/channels/${OP101_CHANNEL}/hold`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tokens.op101}` },
    });
    expect(down.status).toBe(502);
    expect(((await down.json()) as { error: string }).error).toBe('asterisk_unreachable');

    const withoutAri = createApp({ db, pool, clickhouse: null, config: { ...kit.config, ari: undefined } });
    const off = await withoutAri.request('/control/originate', {
      method: 'POST',
      headers: { authorization: `Bearer ${tokens.op101}`, 'content-type': 'application/json' },
      body: JSON.stringify({ number: '102' }),
    });
    expect(off.status).toBe(503);
    expect(await off.json()).toMatchObject({
      error: 'ari_unavailable',
      message: expect.stringContaining('ARI_URL'),
    });
    expect((await withoutAri.request('/control/originate', { method: 'POST' })).status).toBe(401);
    // The web app asks first, so it can disable its call buttons with the reason.
    const status = (target: typeof app) =>
      target.request('/control/status', { headers: { authorization: `Bearer ${tokens.op101}` } });
    const offStatus = await status(withoutAri);
    expect(offStatus.status).toBe(200);
    expect(await offStatus.json()).toEqual({ available: false, reason: 'no_ari' });
    expect(await (await status(app)).json()).toEqual({ available: true });
    expect((await withoutAri.request('/control/status')).status).toBe(401);
  });
});

describe('POST /control/listen (ChanSpy)', () => {
  const operatorId = async (endpoint: string) =>
    Number(
      (
        await kit.stores.postgres.db
          .selectFrom('app.operators')
          .select('id')
          .where('endpoint', '=', endpoint)
          .executeTakeFirstOrThrow()
      ).id,
    );

  beforeAll(async () => {
    // 101 serves the support queue (as Asterisk's QueueStatus reported it).
    await sql`INSERT INTO app.queue_members (server_id, queue, interface, endpoint, membership, paused)
      SELECT server_id, 'support', 'PJSIP/101', '101', 'static', false FROM app.operators WHERE endpoint = '101'
      ON CONFLICT DO NOTHING`.execute(kit.stores.postgres.db);
  });

  it("rings the supervisor's own phone into supervisor-listen at the operator's extension, with the mode, audited", async () => {
    const op101 = await operatorId('101');
    const response = await call('/control/listen', 'supPhone', { operator_id: op101, mode: 'whisper' });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { channelId: string; listenedChannel: string };
    expect(body).toEqual({
      channelId: expect.stringMatching(/^9000000000\.\d+$/),
      action: 'listen',
      listenedChannel: expect.stringMatching(/^PJSIP\/101-/),
      mode: 'whisper',
    });
    expect(sent()).toEqual([
      { method: 'GET', path: '/ari/channels', query: {}, body: null },
      {
        method: 'POST',
        path: '/ari/channels',
        query: {
          endpoint: 'PJSIP/150',
          extension: '101',
          context: 'supervisor-listen',
          priority: '1',
          callerId: '"101" <101>',
          timeout: '30',
        },
        body: { variables: { SPY_MODE: 'w' } },
      },
    ]);
    const audit = await sql<{ details: Record<string, string> }>`
      SELECT details FROM app.audit_log WHERE login = 'ctl-supPhone' AND action = 'call_listen'`.execute(
      kit.stores.postgres.db,
    );
    expect(audit.rows).toEqual([
      { details: { operator: '101', mode: 'whisper', listenedChannel: body.listenedChannel } },
    ]);
    // listen (the default) adds no option; barge is ChanSpy's B.
    peer.requests.length = 0;
    expect((await call('/control/listen', 'supPhone', { operator_id: op101 })).status).toBe(200);
    expect((await call('/control/listen', 'supPhone', { operator_id: op101, mode: 'barge' })).status).toBe(
      200,
    );
    expect(
      sent()
        .filter((r) => r.method === 'POST')
        .map((r) => r.body),
    ).toEqual([{ variables: { SPY_MODE: '' } }, { variables: { SPY_MODE: 'B' } }]);
  });

  it('refuses operators, other queues, a supervisor without a phone, an operator not on a call, bad bodies', async () => {
    const op101 = await operatorId('101');
    const op102 = await operatorId('102');
    const status = async (who: string, json: unknown) => {
      const response = await call('/control/listen', who, json);
      return `${response.status} ${((await response.json()) as { error: string }).error}`;
    };
    expect(await status('op102', { operator_id: op101 })).toBe('403 forbidden');
    // 101 serves support only: the sales supervisor does not see them.
    expect(await status('salesPhone', { operator_id: op101 })).toBe('404 not_found');
    expect(await status('sup', { operator_id: op101 })).toBe('409 no_endpoint');
    // An admin sees every operator; 102 has no channel in the captured call.
    expect(await status('admin', { operator_id: op102 })).toBe('409 no_endpoint');
    expect(await status('supPhone', { operator_id: 999_999 })).toBe('404 not_found');
    expect(await status('supPhone', { operator_id: op101, mode: 'shout' })).toBe('400 validation_failed');
    expect(await status('supPhone', { operator_id: 'x' })).toBe('400 validation_failed');
    expect(sent().filter((r) => r.method === 'POST')).toEqual([]);
    await sql`INSERT INTO app.queue_members (server_id, queue, interface, endpoint, membership, paused)
      SELECT server_id, 'support', 'PJSIP/102', '102', 'static', false FROM app.operators WHERE endpoint = '102'
      ON CONFLICT DO NOTHING`.execute(kit.stores.postgres.db);
    expect(await status('supPhone', { operator_id: op102 })).toBe('409 not_in_call');
    expect(sent().filter((r) => r.method === 'POST')).toEqual([]);
  });
});

describe('GET /me/softphone', () => {
  const get = (who: string, target = app) =>
    target.request('/me/softphone', { headers: { authorization: `Bearer ${tokens[who]}` } });

  it('configured=false (no credentials) until the endpoint has a SIP secret; then the credentials, audited', async () => {
    const db = kit.stores.postgres.db;
    await db.updateTable('app.operators').set({ sip_secret: null }).where('endpoint', '=', '101').execute();
    const before = await get('op101');
    expect(before.status).toBe(200);
    expect(await before.json()).toEqual({
      configured: false,
      wsServer: 'wss://pbx.clinic.test:8089/ws',
      sipUri: 'sip:101@pbx.clinic.test',
      authorizationUsername: null,
      authorizationPassword: null,
      displayName: 'Operator 101',
      iceServers: [{ urls: ['stun:stun.clinic.test:3478'] }],
    });
    await db
      .updateTable('app.operators')
      .set({ sip_secret: 's3cret-101' })
      .where('endpoint', '=', '101')
      .execute();
    const after = await get('op101');
    expect(await after.json()).toMatchObject({
      configured: true,
      authorizationUsername: '101',
      authorizationPassword: 's3cret-101',
    });
    const audit = await sql<{ n: number }>`SELECT count(*)::int AS n FROM app.audit_log
      WHERE login = 'ctl-op101' AND action = 'softphone_credentials'`.execute(db);
    expect(audit.rows[0]!.n).toBe(1);

    const { pool } = kit.stores.postgres;
    const demo = createApp({ db, pool, clickhouse: null, config: { ...kit.config, softphone: undefined } });
    expect(await (await get('op101', demo)).json()).toMatchObject({
      configured: false,
      wsServer: null,
      sipUri: null,
      authorizationPassword: null,
    });
  });

  it('409 without an endpoint, 404 for an endpoint that is no operator, 401 without a token', async () => {
    const none = await get('sup');
    expect(none.status).toBe(409);
    expect(((await none.json()) as { error: string }).error).toBe('no_endpoint');
    expect((await get('op150')).status).toBe(404);
    expect((await app.request('/me/softphone')).status).toBe(401);
  });
});
