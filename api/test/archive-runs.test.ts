import { beginRun, finishRun, insertRequestedRun, updateStep } from '@callcenter/archive/runs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiTestKit, openApiTestKit } from './support/api-test-kit.ts';

/**
 * `GET /archive/runs` and `GET /archive/runs/{id}` over real PostgreSQL: admins only, newest
 * first with each run's steps, the last success, status filter, pages, 404 and 400. Runs are
 * written through the same record functions the archive uses (an end-to-end run is in
 * archive/test).
 */

let kit: ApiTestKit;
let admin: string;
let supervisor: string;
let succeeded = 0;
let failed = 0;
let requested = 0;

interface Run {
  id: number;
  status: string;
  archive_date: string | null;
  bytes_written: number;
  error: string | null;
  steps: Array<{
    step: string;
    status: string;
    bytes: number;
    detail: Record<string, unknown>;
    error: string | null;
  }>;
}

beforeAll(async () => {
  kit = await openApiTestKit();
  admin = (await kit.user({ login: 'archive-admin', role: 'admin' })).token;
  supervisor = (await kit.user({ login: 'archive-sup', role: 'supervisor', queues: ['support'] })).token;
  const db = kit.stores.postgres.db;
  const base = {
    trigger: 'scheduled' as const,
    target: '/mnt/nas',
    timeZone: 'UTC',
    requestedBy: 'schedule',
  };
  succeeded = await beginRun(db, { ...base, archiveDate: '2026-11-20' });
  for (const step of ['postgres', 'recordings', 'clickhouse', 'retention'] as const) {
    await updateStep(db, succeeded, step, {
      status: 'succeeded',
      bytes: 1000,
      files: 1,
      detail: { ok: step },
    });
  }
  await finishRun(db, succeeded, { status: 'succeeded', bytesWritten: 4000, error: null, durationSec: 12.5 });
  failed = await beginRun(db, { ...base, archiveDate: '2026-11-21' });
  await updateStep(db, failed, 'postgres', { status: 'succeeded', bytes: 1000 });
  await updateStep(db, failed, 'recordings', { status: 'failed', error: 'disk full: no space left' });
  await finishRun(db, failed, {
    status: 'failed',
    bytesWritten: 1000,
    error: 'recordings: disk full: no space left',
    durationSec: 3,
  });
  requested = await insertRequestedRun(db, { target: '/mnt/nas', timeZone: 'UTC', requestedBy: 'someone' });
});

afterAll(async () => {
  await kit?.dispose();
});

describe('GET /archive/runs', () => {
  it('lists runs newest first with their steps and the last success, for admins', async () => {
    const res = await kit.request('/archive/runs', { token: admin });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { items: Run[]; total: number; last_success_at: string | null };
    expect(body.total).toBe(3);
    expect(body.items.map((r) => [r.id, r.status])).toEqual([
      [requested, 'requested'],
      [failed, 'failed'],
      [succeeded, 'succeeded'],
    ]);
    const bad = body.items[1]!;
    expect(bad.error).toBe('recordings: disk full: no space left');
    expect(bad.steps.map((s) => [s.step, s.status])).toEqual([
      ['postgres', 'succeeded'],
      ['recordings', 'failed'],
      ['clickhouse', 'pending'],
      ['retention', 'pending'],
    ]);
    expect(body.items[2]).toMatchObject({ archive_date: '2026-11-20', bytes_written: 4000 });
    expect(body.items[2]!.steps[2]).toMatchObject({
      step: 'clickhouse',
      bytes: 1000,
      detail: { ok: 'clickhouse' },
    });
    expect(body.last_success_at).toEqual(expect.stringMatching(/^\d{4}-\d{2}-\d{2}T.*Z$/));
  });

  it('filters by status and pages', async () => {
    const res = await kit.request('/archive/runs?status=failed&limit=1', { token: admin });
    const body = (await res.json()) as { items: Run[]; total: number; limit: number };
    expect(body).toMatchObject({ total: 1, limit: 1 });
    expect(body.items.map((r) => r.id)).toEqual([failed]);
    const second = (await (await kit.request('/archive/runs?limit=1&offset=1', { token: admin })).json()) as {
      items: Run[];
    };
    expect(second.items.map((r) => r.id)).toEqual([failed]);
  });

  it('answers 400 for a bad query, 403 for other roles, 401 without a token', async () => {
    const bad = await kit.request('/archive/runs?limit=0', { token: admin });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string }).error).toBe('validation_failed');
    expect((await kit.request('/archive/runs?status=done', { token: admin })).status).toBe(400);
    expect((await kit.request('/archive/runs', { token: supervisor })).status).toBe(403);
    expect((await kit.request('/archive/runs')).status).toBe(401);
  });
});

describe('GET /archive/runs/{id}', () => {
  it('returns one run, 404 for an unknown id, 400 for a bad one', async () => {
    const res = await kit.request(`/archive/runs/${succeeded}`, { token: admin });
    expect(res.status).toBe(200);
    expect(((await res.json()) as Run).steps).toHaveLength(4);
    const missing = await kit.request('/archive/runs/999999', { token: admin });
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ error: 'not_found', message: 'no archive run 999999' });
    expect((await kit.request('/archive/runs/abc', { token: admin })).status).toBe(400);
    expect((await kit.request(`/archive/runs/${succeeded}`, { token: supervisor })).status).toBe(403);
  });
});

describe('the archive page’s state and “run now”', () => {
  it('says ARCHIVE_DIR is unset and refuses to run without it; runs once it is set, one at a time', async () => {
    const db = kit.stores.postgres.db;
    kit.config.archive = { timeZone: 'UTC' };
    const list = (await (await kit.request('/archive/runs', { token: admin })).json()) as {
      configured: boolean;
      target: string | null;
    };
    expect(list).toMatchObject({ configured: false, target: null });
    const unset = await kit.request('/archive/runs', { method: 'POST', token: admin });
    expect(unset.status).toBe(409);
    expect(((await unset.json()) as { error: string }).error).toBe('archive_unconfigured');

    kit.config.archive = { dir: '/mnt/nas', timeZone: 'Europe/Moscow' };
    expect(
      ((await (await kit.request('/archive/runs', { token: admin })).json()) as { configured: boolean })
        .configured,
    ).toBe(true);
    // The run requested in beforeAll is still pending: one at a time.
    const busy = await kit.request('/archive/runs', { method: 'POST', token: admin });
    expect(busy.status).toBe(409);
    expect(((await busy.json()) as { error: string }).error).toBe('archive_busy');
    await db.updateTable('app.archive_runs').set({ status: 'failed' }).where('id', '=', requested).execute();

    const asked = await kit.request('/archive/runs', { method: 'POST', token: admin });
    expect(asked.status).toBe(202);
    const { id } = (await asked.json()) as { id: number };
    const run = await db
      .selectFrom('app.archive_runs')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(run).toMatchObject({
      status: 'requested',
      trigger: 'manual',
      target_dir: '/mnt/nas',
      time_zone: 'Europe/Moscow',
      requested_by: 'archive-admin (web)',
    });
    expect((await kit.request('/archive/runs', { method: 'POST', token: supervisor })).status).toBe(403);
    kit.config.archive = undefined;
  });
});
