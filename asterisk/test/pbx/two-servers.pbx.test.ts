import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LabApi } from './support/api-client.ts';
import {
  attemptFacts,
  callFact,
  eventsOfCall,
  expectAsteriskIdle,
  expectNear,
  finalCard,
  liveTypesOfCall,
} from './support/call-checks.ts';
import { LAB_DID, type Lab, startLab } from './support/lab.ts';
import { deskPhone, inboundCall, RINGS_UNANSWERED } from './support/phones.ts';
import { expectSippSuccess } from './support/sipp.ts';

/**
 * Two Asterisk servers beside one main job (ASTERISK_SERVERS pbx1:asterisk, pbx2:asterisk_pbx2),
 * with the same extension numbers on both: calls at the same moment on each are kept apart by
 * server_id — each server's CEL in its own schema, each card with its own server's operator —
 * and every user sees only their server's call. The main job follows pbx1 over ARI; pbx2's rings
 * reach the live stream from its CEL (README, "Live calls").
 */

let lab: Lab;
let admin: LabApi;
const sup: Record<string, LabApi> = {};
const op102: Record<string, LabApi> = {};

const OPERATORS = { '101': 'webrtc', '102': 'sip', '103': 'sip' } as const;
/** What each server's 102 is told: talk 3 s on pbx1, 5 s on pbx2 (both ring 1 s). */
const TALK_SEC: Record<string, number> = { pbx1: 3, pbx2: 5 };
const CLI: Record<string, string> = { pbx1: '79161230301', pbx2: '79161230302' };

beforeAll(async () => {
  lab = await startLab([
    { id: 'pbx1', operators: { ...OPERATORS } },
    { id: 'pbx2', operators: { ...OPERATORS } },
  ]);
  const adminPassword = await lab.addUser('admin2', 'admin');
  admin = new LabApi(lab.apiUrl, await lab.login('admin2', adminPassword));
  for (const id of ['pbx1', 'pbx2']) {
    const s = await lab.addUser(`sup-${id}`, 'supervisor', ['--queues', 'support', '--server-id', id]);
    sup[id] = new LabApi(lab.apiUrl, await lab.login(`sup-${id}`, s));
    const o = await lab.addUser(`op102-${id}`, 'operator', ['--endpoint', '102', '--server-id', id]);
    op102[id] = new LabApi(lab.apiUrl, await lab.login(`op102-${id}`, o));
  }
});

afterAll(async () => {
  await lab?.stop();
});

describe('two Asterisk servers with the same extension numbers', () => {
  it('keeps simultaneous calls apart by server: schemas, operators, scope and live streams', async () => {
    const [pbx1, pbx2] = lab.servers;
    expect(pbx2!.schema).toBe('asterisk_pbx2');
    const streams = {
      pbx1: { sup: await sup.pbx1!.liveEvents(), op: await op102.pbx1!.liveEvents() },
      pbx2: { sup: await sup.pbx2!.liveEvents(), op: await op102.pbx2!.liveEvents() },
    };
    const phones = [];
    for (const server of [pbx1!, pbx2!]) {
      phones.push(
        await deskPhone(lab, server, '102', {
          scenario: 'phone-answer.xml',
          ringMs: 1000,
          talkMs: TALK_SEC[server.id]! * 1000,
        }),
        await deskPhone(lab, server, '103', RINGS_UNANSWERED),
      );
      // Each server has its own 102 registered, from its own phone.
      expect(await server.cli('pjsip show contacts')).toMatch(/102\/sip:102@127\.0\.0\.1:\d+/);
    }
    const callers = await Promise.all(
      [pbx1!, pbx2!].map((server) =>
        inboundCall(lab, server, { cli: CLI[server.id]!, did: LAB_DID, digit: '3', holdMs: 60_000 }),
      ),
    );
    await Promise.all(callers.map((c, i) => expectSippSuccess(c, `caller on pbx${i + 1}`)));
    for (const phone of phones) await phone.stop();

    const operatorIds = Object.fromEntries(
      (
        await lab.query<{ server_id: string; id: string }>(
          "SELECT server_id, id::text FROM app.operators WHERE endpoint = '102' ORDER BY server_id",
        )
      ).map((r) => [r.server_id, Number(r.id)]),
    );
    expect(Object.keys(operatorIds)).toEqual(['pbx1', 'pbx2']);
    expect(operatorIds.pbx1).not.toBe(operatorIds.pbx2);

    const cards = {
      pbx1: await finalCard(admin, CLI.pbx1!, 'pbx1'),
      pbx2: await finalCard(admin, CLI.pbx2!, 'pbx2'),
    };
    for (const id of ['pbx1', 'pbx2'] as const) {
      const card = cards[id];
      expect(card).toMatchObject({
        server_id: id,
        direction: 'inbound',
        status: 'answered',
        queue: 'support',
        operator_endpoint: '102',
        operator_id: operatorIds[id],
      });
      expect(card.linkedid.startsWith(`${id}-`)).toBe(true);
      expectNear(card.talk_sec, TALK_SEC[id]!, `${id} talk`);
      expect(
        Object.fromEntries(card.attempts.map((a) => [a.operator_endpoint, [a.outcome, a.operator_id]])),
      ).toEqual({
        '102': ['answered', operatorIds[id]],
        '103': ['canceled', expect.any(Number)],
      });
      // CEL rows of the call are in its own server's schema, and only there.
      const schema = id === 'pbx1' ? 'asterisk' : 'asterisk_pbx2';
      const other = id === 'pbx1' ? 'asterisk_pbx2' : 'asterisk';
      const [own] = await lab.query<{ n: string }>(
        `SELECT count(*) AS n FROM "${schema}".cel WHERE linkedid = $1`,
        [card.linkedid],
      );
      const [elsewhere] = await lab.query<{ n: string }>(
        `SELECT count(*) AS n FROM "${other}".cel WHERE linkedid = $1`,
        [card.linkedid],
      );
      expect(Number(own!.n)).toBeGreaterThan(0);
      expect(Number(elsewhere!.n)).toBe(0);

      const fact = await callFact(admin, card);
      expect(fact).toMatchObject({
        server_id: id,
        status: 'answered',
        operator: '102',
        linkedid: card.linkedid,
      });
      const rings = await attemptFacts(admin, card, 2);
      expect(rings.map((r) => [r.operator, r.outcome])).toEqual([
        ['102', 'answered'],
        ['103', 'canceled'],
      ]);
    }

    // Scope: a supervisor and an operator of one server see that server's call only.
    for (const id of ['pbx1', 'pbx2'] as const) {
      const otherId = id === 'pbx1' ? 'pbx2' : 'pbx1';
      for (const api of [sup[id]!, op102[id]!]) {
        const page = await api.get<{ items: { id: number }[] }>('/calls?limit=50');
        const ids = page.items.map((c) => c.id);
        expect(ids).toContain(cards[id].id);
        expect(ids).not.toContain(cards[otherId].id);
      }
      const res = await fetch(`${lab.apiUrl}/calls/${cards[otherId].id}`, {
        headers: { authorization: `Bearer ${op102[id]!.token}` },
      });
      expect(res.status).toBe(404);
      await res.arrayBuffer();
    }

    // Live: each server's users are told of their own call (pbx1 through ARI, pbx2 from CEL)
    // and of nothing on the other server.
    for (const id of ['pbx1', 'pbx2'] as const) {
      const otherId = id === 'pbx1' ? 'pbx2' : 'pbx1';
      for (const reader of [streams[id].sup, streams[id].op]) {
        const types = await liveTypesOfCall(reader, cards[id].id);
        expect(types[0]).toBe('call.ringing');
        expect(types).toContain('call.ended');
        expect(eventsOfCall(reader, cards[otherId].id)).toEqual([]);
      }
    }
    expect(await liveTypesOfCall(streams.pbx1.op, cards.pbx1.id)).toContain('call.answered');
    for (const s of Object.values(streams)) {
      await s.sup.close();
      await s.op.close();
    }

    await expectAsteriskIdle(pbx1!, ['support']);
    await expectAsteriskIdle(pbx2!, ['support']);
  });
});
