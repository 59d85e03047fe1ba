import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, LabApi } from './support/api-client.ts';
import { LAB_DID, type Lab, startLab } from './support/lab.ts';
import { deskPhone, inboundCall } from './support/phones.ts';

/**
 * Asterisk dies during an answered call (kill -9: no HANGUP, no LINKEDID_END, no CDR ever come).
 * The expected card is written from what the scenario did, before looking at the reconciler's
 * output (docs/reconciliation.md#timeouts): the caller went through the IVR into `support`, 102
 * answered after 1 s of ringing, then Asterisk was killed while they talked. The collector closes
 * the call once it has been silent for IDLE_TIMEOUT_SEC (60 s here, the smallest allowed): an
 * answered call of 102, closed by the idle timeout, talk counted up to the call's last CEL row —
 * never abandoned, never missing.
 */

const IDLE_TIMEOUT_SEC = 60;

interface Card {
  id: number;
  direction: string;
  status: string;
  operator_endpoint: string | null;
  queue: string | null;
  src_number: string | null;
  answered_at: string | null;
  ended_at: string | null;
  talk_sec: number;
  closed_by: string | null;
  attempts: { operator_endpoint: string; outcome: string }[];
}

let lab: Lab;
let supervisor: LabApi;
const previousIdle = process.env.IDLE_TIMEOUT_SEC;

beforeAll(async () => {
  // startLab passes this process's environment to the main job.
  process.env.IDLE_TIMEOUT_SEC = String(IDLE_TIMEOUT_SEC);
  lab = await startLab([{ id: 'pbx1', operators: { '101': 'webrtc', '102': 'sip', '103': 'sip' } }]);
  const password = await lab.addUser('sup', 'supervisor', ['--queues', 'registry,support,sales']);
  supervisor = new LabApi(lab.apiUrl, await lab.login('sup', password));
});

afterAll(async () => {
  if (previousIdle === undefined) delete process.env.IDLE_TIMEOUT_SEC;
  else process.env.IDLE_TIMEOUT_SEC = previousIdle;
  await lab?.stop();
});

describe('Asterisk killed during an answered call', () => {
  it('closes the call by the idle timeout as answered by the bridged operator', async () => {
    const server = lab.servers[0]!;
    const answering = await deskPhone(lab, server, '102', {
      scenario: 'phone-answer.xml',
      ringMs: 1000,
      talkMs: 120_000,
    });
    const cli = '79161239901';
    const caller = await inboundCall(lab, server, { cli, did: LAB_DID, digit: '3', holdMs: 120_000 });

    // Both sides in the bridge: the caller and 102's leg entered it.
    const linkedid = await eventually('the caller bridged with 102', 60_000, async () => {
      const rows = await lab.query<{ linkedid: string; n: string }>(
        `SELECT linkedid, count(*) AS n FROM ${server.schema}.cel WHERE eventtype = 'BRIDGE_ENTER' AND cid_num = $1 GROUP BY linkedid`,
        [cli],
      );
      const row = rows.find((r) => Number(r.n) >= 1);
      if (!row) return undefined;
      const entered = await lab.query<{ n: string }>(
        `SELECT count(*) AS n FROM ${server.schema}.cel WHERE eventtype = 'BRIDGE_ENTER' AND linkedid = $1`,
        [row.linkedid],
      );
      return Number(entered[0]!.n) >= 2 ? row.linkedid : undefined;
    });
    await new Promise((r) => setTimeout(r, 3000));

    const pid = Number(readFileSync(join(server.work, 'run', 'asterisk.pid'), 'utf8').trim());
    expect(pid).toBeGreaterThan(1);
    process.kill(pid, 'SIGKILL');
    await caller.stop();
    await answering.stop();

    const ended = await lab.query<{ n: string }>(
      `SELECT count(*) AS n FROM ${server.schema}.cel WHERE linkedid = $1 AND eventtype IN ('HANGUP', 'LINKEDID_END')`,
      [linkedid],
    );
    expect(Number(ended[0]!.n)).toBe(0);

    // The capture: the call's CEL and CDR rows as Asterisk wrote them (kept with PBX_KEEP=1).
    for (const table of ['cel', 'cdr']) {
      const { stdout } = await promisify(execFile)('psql', [
        lab.databaseUrl,
        '-c',
        `COPY (SELECT * FROM ${server.schema}.${table} WHERE linkedid = '${linkedid}' ORDER BY id) TO STDOUT CSV HEADER`,
      ]);
      writeFileSync(join(lab.dir, `crash-mid-call.${table}.csv`), stdout);
    }

    const card = await eventually(
      'the call closed by the idle timeout',
      (IDLE_TIMEOUT_SEC + 90) * 1000,
      async () => {
        const page = await supervisor.get<{
          items: { id: number; linkedid: string; status: string; live: boolean }[];
        }>('/calls?limit=20');
        const listed = page.items.find((c) => c.linkedid === linkedid && c.status !== 'ringing' && !c.live);
        if (!listed) return undefined;
        const full = await supervisor.get<Card>(`/calls/${listed.id}`);
        return full.closed_by === 'idle_timeout' ? full : undefined;
      },
    );
    expect(card).toMatchObject({
      direction: 'inbound',
      status: 'answered',
      operator_endpoint: '102',
      queue: 'support',
      src_number: cli,
      closed_by: 'idle_timeout',
    });
    // Talk runs up to the call's last CEL row (the bridge entry: nothing was written afterwards).
    expect(card.talk_sec).toBeGreaterThanOrEqual(0);
    expect(card.talk_sec).toBeLessThan(1);
    expect(Object.fromEntries(card.attempts.map((a) => [a.operator_endpoint, a.outcome]))).toMatchObject({
      '102': 'answered',
    });

    // Its explanation names the idle-timeout close and the last row it was silent after.
    const why = await supervisor.get<{ decisions: { field: string; value: unknown; evidence: number[] }[] }>(
      `/calls/${card.id}/explain`,
    );
    expect(why.decisions.find((d) => d.field === 'closed_by')).toMatchObject({ value: 'idle_timeout' });
    expect(why.decisions.find((d) => d.field === 'status')).toMatchObject({ value: 'answered' });
  }, 300_000);
});
