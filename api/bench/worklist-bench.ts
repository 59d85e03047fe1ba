import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '@callcenter/platform/config';
import { freePort } from '@callcenter/platform/embedded-postgres';
import { openStores } from '@callcenter/platform/stores';
import { Command } from 'commander';
import type { AuthUser } from '../src/auth/auth-user.ts';
import { missedWorklist } from '../src/callbacks/missed-worklist.ts';
import { operatorSessions } from '../src/presence/operator-sessions.ts';

/**
 * `npx tsx api/bench/worklist-bench.ts [--calls 1000000 --numbers 300000]`: the missed-calls
 * worklist (`GET /callbacks/worklist`, callbacks/missed-worklist.ts) and the operator sessions
 * report over a large embedded PostgreSQL. `--calls` cards spread over one year (2025), customers
 * drawn from `--numbers` distinct mobile numbers: 60 % inbound answered, 10 % inbound abandoned or
 * missed (support and sales), 30 % outbound to the 8… form of a number (70 % answered); and a
 * presence interval every 30 minutes for 20 operators. Prints the time of each period (median of 3
 * runs) and the figures; last line JSON. Nothing is asserted: speed lives in benches.
 */

const log = (line: string) => process.stdout.write(`${line}\n`);

async function main(options: { calls: string; numbers: string }): Promise<void> {
  const calls = Number(options.calls);
  const numbers = Number(options.numbers);
  const dir = mkdtempSync(join(tmpdir(), 'callcenter-worklist-bench-'));
  chmodSync(dir, 0o755);
  const config = loadConfig({
    ...process.env,
    DATABASE_URL: '',
    CLICKHOUSE_URL: '',
    DATA_DIR: dir,
    EMBEDDED_PG_PORT: String(await freePort()),
  });
  const stores = await openStores(config);
  const out: Record<string, number> = { calls, numbers };
  try {
    const client = await stores.postgres.pool.connect();
    let t = performance.now();
    try {
      await client.query('ALTER TABLE app.calls DISABLE TRIGGER calls_notify_insert');
      await client.query(
        `INSERT INTO app.asterisk_servers (id, name, cel_schema) VALUES ('pbx1', 'pbx1', 'asterisk')
         ON CONFLICT DO NOTHING`,
      );
      await client.query(
        `INSERT INTO app.operators (server_id, endpoint, name)
         SELECT 'pbx1', (200 + g)::text, 'Operator ' || (200 + g) FROM generate_series(1, 20) g
         ON CONFLICT DO NOTHING`,
      );
      await client.query(
        `
        INSERT INTO app.calls (server_id, linkedid, uniqueid, linkedids, direction, status, started_at,
                               queue, queues, queue_wait_sec, wait_sec, src_number, dst_number,
                               operator_endpoint, reconciler_version, derived_hash)
        SELECT 'pbx1', 'wb-' || g, 'wb-' || g, ARRAY['wb-' || g],
               CASE WHEN k < 70 THEN 'inbound' ELSE 'outbound' END,
               CASE WHEN k < 60 THEN 'answered' WHEN k < 65 THEN 'abandoned' WHEN k < 70 THEN 'missed'
                    WHEN k < 91 THEN 'answered' ELSE 'no_answer' END,
               timestamptz '2025-01-01 00:00:00+00' + make_interval(secs => (g - 1) * 31536000.0 / $1::bigint),
               CASE WHEN k < 70 THEN (CASE WHEN g % 3 = 0 THEN 'sales' ELSE 'support' END) END,
               CASE WHEN k < 70 THEN ARRAY[CASE WHEN g % 3 = 0 THEN 'sales' ELSE 'support' END] ELSE '{}' END,
               CASE WHEN k < 70 THEN 5 + k % 40 END, 10,
               CASE WHEN k < 70 THEN '7916' || lpad(n::text, 7, '0') ELSE (201 + g % 20)::text END,
               CASE WHEN k < 70 THEN '74951234567' ELSE '8916' || lpad(n::text, 7, '0') END,
               CASE WHEN k < 60 OR k >= 70 THEN (201 + g % 20)::text END,
               'bench', 'bench'
        FROM generate_series(1, $1::bigint) AS g
        CROSS JOIN LATERAL (SELECT (hashint8(g) & 2147483647) % 100 AS k,
                                   (hashint8(g * 7919) & 2147483647) % $2::bigint AS n) x`,
        [calls, numbers],
      );
      await client.query(
        `INSERT INTO app.operator_presence (operator_id, state, reason_code, started_at, ended_at, set_by_login, asterisk_applied)
         SELECT o.id, CASE WHEN i % 4 = 3 THEN 'paused' ELSE 'available' END,
                CASE WHEN i % 4 = 3 THEN 'break' END,
                timestamptz '2025-01-01 00:00:00+00' + make_interval(mins => i * 30),
                timestamptz '2025-01-01 00:00:00+00' + make_interval(mins => i * 30 + 30), 'bench', false
         FROM app.operators o CROSS JOIN generate_series(0, 17519) i WHERE o.name LIKE 'Operator 2__'`,
      );
      await client.query(
        `INSERT INTO app.call_segments (call_id, seq, operator_endpoint, operator_id, party, started_at, ended_at, talk_sec, hold_sec)
         SELECT c.id, 1, c.operator_endpoint, o.id, 'caller', c.started_at + interval '10 seconds',
                c.started_at + interval '130 seconds', 120, 0
         FROM app.calls c JOIN app.operators o ON o.server_id = c.server_id AND o.endpoint = c.operator_endpoint
         WHERE c.status = 'answered'`,
      );
      await client.query('ALTER TABLE app.calls ENABLE TRIGGER calls_notify_insert');
      await client.query('VACUUM ANALYZE app.calls');
      await client.query('VACUUM ANALYZE app.operator_presence');
    } finally {
      client.release();
    }
    log(`seeded ${calls} calls (${numbers} numbers) in ${((performance.now() - t) / 1000).toFixed(1)} s`);
    const admin: AuthUser = {
      id: 0,
      login: 'bench',
      role: 'admin',
      endpoint: null,
      serverId: 'pbx1',
      queues: [],
    };
    const supervisor: AuthUser = { ...admin, role: 'supervisor', queues: ['sales'] };
    const timed = async (name: string, run: () => Promise<string>) => {
      const times: number[] = [];
      let summary = '';
      for (let i = 0; i < 3; i++) {
        t = performance.now();
        summary = await run();
        times.push(performance.now() - t);
      }
      const ms = times.sort((a, b) => a - b)[1]!;
      out[`${name}_ms`] = Math.round(ms);
      log(`${name}: ${Math.round(ms)} ms (median of 3) — ${summary}`);
    };
    for (const [name, days, user] of [
      ['worklist_day_admin', 1, admin],
      ['worklist_30d_admin', 30, admin],
      ['worklist_30d_sales', 30, supervisor],
      ['worklist_365d_admin', 365, admin],
    ] as const) {
      const from = new Date('2025-06-01T00:00:00Z');
      const to = new Date(from.getTime() + days * 86_400_000);
      await timed(name, async () => {
        const w = await missedWorklist(stores.postgres.db, user, { from, to, state: 'all', limit: 1000 });
        return `lost ${w.kpi.lost}, reached ${w.kpi.reached}, called back ${w.kpi.calledBack}, median ${w.kpi.medianTimeToCallbackSec?.toFixed(0)} s`;
      });
    }
    for (const days of [1, 31]) {
      const from = new Date('2025-06-01T00:00:00+03:00');
      const to = new Date(from.getTime() + days * 86_400_000);
      await timed(`sessions_${days}d_admin`, async () => {
        const r = await operatorSessions(stores.postgres.db, admin, { from, to, zone: 'Europe/Moscow' });
        const loggedIn = r.days.reduce((sum, d) => sum + d.loggedInSec, 0);
        const talk = r.days.reduce((sum, d) => sum + d.talkSec, 0);
        return `${r.days.length} operator-days, ${Math.round(loggedIn / 3600)} h logged in, ${Math.round(talk / 3600)} h talk`;
      });
    }
    log(JSON.stringify(out));
  } finally {
    await stores.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const program = new Command()
  .option('--calls <n>', 'call cards', '1000000')
  .option('--numbers <n>', 'distinct customer numbers', '300000')
  .action(async (options) => main(options));
await program.parseAsync();
