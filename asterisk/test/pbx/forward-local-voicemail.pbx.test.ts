import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LabApi } from './support/api-client.ts';
import { expectAsteriskIdle, expectNear, finalCard } from './support/call-checks.ts';
import { LAB_DID, type Lab, type LabServer, startLab } from './support/lab.ts';
import { deskPhone, forwardingPhone, inboundCall } from './support/phones.ts';
import { expectSippSuccess, startSipp } from './support/sipp.ts';

/**
 * Three call shapes on Debian's Asterisk running the product's own configuration, each card checked
 * against what the SIP peers were told to do (docs/reconciliation.md: Status, Attempts,
 * Forwarding); times within 1 s. The caller presses 3 (support, ring-all) 1.5 s after the IVR
 * answers. Order matters: the voicemail call runs before any desk phone has registered.
 */

let lab: Lab;
let server: LabServer;
let supervisor: LabApi;
/** An admin sees calls outside any queue (an internal call is in no supervisor's queue scope). */
let admin: LabApi;

beforeAll(async () => {
  lab = await startLab([{ id: 'pbx1', operators: { '101': 'sip', '102': 'sip', '103': 'sip' } }]);
  server = lab.servers[0]!;
  const sup = await lab.addUser('sup', 'supervisor', ['--queues', 'registry,support,sales']);
  supervisor = new LabApi(lab.apiUrl, await lab.login('sup', sup));
  const adm = await lab.addUser('adm', 'admin');
  admin = new LabApi(lab.apiUrl, await lab.login('adm', adm));
});

afterAll(async () => {
  await lab?.stop();
});

describe('voicemail, Local queue members and call forwarding', () => {
  it('an empty queue sends the caller to voicemail: missed, not abandoned, no attempt', async () => {
    // No phone is registered: Queue(support) returns at once (JOINEMPTY), VoiceMail(200@clinic)
    // starts; the caller hangs up 10 s after pressing 3.
    const caller = await inboundCall(lab, server, {
      cli: '79161230401',
      did: LAB_DID,
      digit: '3',
      holdMs: 10_000,
    });
    await expectSippSuccess(caller, 'caller');
    const card = await finalCard(supervisor, '79161230401');
    expect(card).toMatchObject({
      direction: 'inbound',
      status: 'missed',
      queue: 'support',
      operator_endpoint: null,
    });
    expect(card.answered_at).toBeNull();
    expect(card.attempts).toEqual([]);
    expectNear(card.duration_sec, 11.5, 'duration (IVR 1.5 s + 10 s in voicemail)');
    await expectAsteriskIdle(server, ['support']);
  });

  it('a queue member behind a Local channel: the operator is the endpoint behind it', async () => {
    // support's members: PJSIP/101 and PJSIP/102 (never registered: unavailable) and, instead of
    // PJSIP/103, Local/103@queue-member/n (a call-back login). 103 rings 2 s and answers; the caller
    // hangs up 12 s after pressing 3.
    await server.cli('queue remove member PJSIP/103 from support');
    await server.cli(
      'queue add member Local/103@queue-member/n to support penalty 0 as "Operator 103" state_interface PJSIP/103',
    );
    const phone = await deskPhone(lab, server, '103', {
      scenario: 'phone-answer.xml',
      ringMs: 2000,
      talkMs: 60_000,
    });
    try {
      const caller = await inboundCall(lab, server, {
        cli: '79161230402',
        did: LAB_DID,
        digit: '3',
        holdMs: 12_000,
      });
      await expectSippSuccess(caller, 'caller');
    } finally {
      await phone.stop();
      await server.cli('queue remove member Local/103@queue-member/n from support');
      await server.cli(
        'queue add member PJSIP/103 to support penalty 0 as "Operator 103" state_interface PJSIP/103',
      );
    }
    const card = await finalCard(supervisor, '79161230402');
    expect(card).toMatchObject({
      direction: 'inbound',
      status: 'answered',
      queue: 'support',
      operator_endpoint: '103',
    });
    expect(card.attempts.map((a) => [a.operator_endpoint, a.outcome, a.queue])).toEqual([
      ['103', 'answered', 'support'],
    ]);
    expectNear(card.attempts[0]!.ring_sec, 2, "103's ring");
    expect(card.segments.map((s) => s.operator_endpoint)).toEqual(['103']);
    expectNear(card.talk_sec, 10, 'talk (12 s after pressing 3, 2 s of ring)');
    await expectAsteriskIdle(server, ['support']);
  });

  it("a phone's forward on no answer: the forwarding ring is nobody's miss, the call is the answering operator's", async () => {
    // 101 dials 102; 102's phone rings 3 s and redirects (302) to 103; 103 rings 2 s, answers and
    // hangs up after 5 s of talk.
    const phones = [
      await forwardingPhone(lab, server, '102', { ringMs: 3000, target: '103' }),
      await deskPhone(lab, server, '103', { scenario: 'phone-answer.xml', ringMs: 2000, talkMs: 5000 }),
    ];
    try {
      const sipp = startSipp({
        scenario: 'phone-call-progress.xml',
        values: { USER: '101', EXTEN: '102', TALK_MS: 60_000 },
        workDir: `${lab.dir}/sipp`,
        localPort: await lab.port(),
        mediaPort: await lab.port(),
        remote: server.remote,
        calls: 1,
        auth: { username: '101', password: server.secrets['101']! },
        timeoutSec: 120,
      });
      await expectSippSuccess(sipp, '101 calling 102');
    } finally {
      for (const phone of phones) await phone.stop();
    }
    const card = await finalCard(admin, '101');
    expect(card).toMatchObject({
      direction: 'internal',
      status: 'answered',
      operator_endpoint: '101',
      dst_number: '102',
    });
    expect(card.attempts.map((a) => [a.operator_endpoint, a.outcome])).toEqual([
      ['102', 'canceled'],
      ['103', 'answered'],
    ]);
    expectNear(card.attempts[0]!.ring_sec, 3, "102's ring before the forward");
    expectNear(card.attempts[1]!.ring_sec, 2, "103's ring");
    expect(card.segments.map((s) => s.operator_endpoint)).toEqual(['103']);
    expectNear(card.talk_sec, 5, 'talk with 103');
    await expectAsteriskIdle(server);
  });
});
