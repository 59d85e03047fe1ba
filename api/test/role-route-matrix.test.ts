import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { insertRequestedRun } from '@callcenter/archive/runs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/app.ts';
import { hashPassword } from '../src/auth/password-hash.ts';
import { issueRefreshToken } from '../src/auth/refresh-tokens.ts';
import { callChangeSource } from '../src/live/call-change-source.ts';
import { LiveBus } from '../src/live/live-bus.ts';
import { REFRESH_COOKIE } from '../src/routes/auth/auth-schemas.ts';
import { DICTIONARY_KINDS, type DictionaryKind } from '../src/routes/dictionaries/dictionary-store.ts';
import { type ApiTestKit, openApiTestKit } from './support/api-test-kit.ts';

/**
 * Who may call what: every route of the API × {no token, operator 101, supervisor of support,
 * admin}, with the status a representative valid request gets. The route list is checked against
 * /openapi.json, so a route added to the document without a row here fails this file.
 *
 * Calls used (see calls.test.ts): scenario 01 (1795234908.0: support, answered by 101) is in
 * every user's scope; scenario 04 (1795234985.12: sales, answered by 103) only in the admin's.
 * Each request is built when it is sent (current card version, fresh refresh token, unique login),
 * so a cell never depends on what the cells before it changed.
 */

const S01 = '1795234908.0';
const S01_RECORDING = '20261121-042148-in-1795234908.0.wav';
const S04 = '1795234985.12';

const WHO = ['no token', 'operator 101', 'supervisor of support', 'admin'] as const;
type Who = (typeof WHO)[number];
/** Expected status per column of WHO. */
type Statuses = readonly [none: number, operator: number, supervisor: number, admin: number];

interface Req {
  method?: string;
  path: string;
  json?: unknown;
  headers?: Record<string, string>;
}

interface Row {
  /** `METHOD /path/{param}` as in /openapi.json. */
  route: string;
  /** What this row's request is, when a route has several rows. */
  variant?: string;
  /** False for the routes /openapi.json does not describe (itself, the docs page). */
  documented?: false;
  request: (who: Who) => Req | Promise<Req>;
  expect: Statuses;
}

let kit: ApiTestKit;
let bus: LiveBus;
let app: ReturnType<typeof createApp>;
const tokens: Partial<Record<Who, string>> = {};
/** Ids of the kit's database the rows use. */
const ids = {
  s01: 0,
  s04: 0,
  supportQueue: 0,
  /** Operator 101 (app.operators id): a member of `support` by the calls history. */
  operator101: 0,
  patchedUser: 0,
  /** An archive run record (GET /archive/runs/{id}). */
  archiveRun: 0,
  loginUser: 0,
  category: 0,
  /** Per dictionary kind: an entry to rename, one to delete, one (soft-deleted) to restore. */
  dict: {} as Record<DictionaryKind, { patch: number; remove: number; restore: number }>,
};
let period = '';
/** What the app logged (failures): nothing, once every cell has run. */
const logged: string[] = [];
let unique = 0;
const LOGIN = { login: 'matrix-login', password: 'matrix-password-1' };

const db = () => kit.stores.postgres.db;
const cardVersion = async (id: number) =>
  (await db().selectFrom('app.calls').select('version').where('id', '=', id).executeTakeFirstOrThrow())
    .version;
const refreshCookie = async () => {
  const issued = await issueRefreshToken(db(), ids.loginUser, 3600, { ip: null, userAgent: null });
  return { cookie: `${REFRESH_COOKIE}=${issued.token}` };
};
/** A name no other row or cell has used. */
const fresh = (prefix: string) => `${prefix}-${++unique}`;

const anyone = [200, 200, 200, 200] as const;
const signedIn = (ok: number) => [401, ok, ok, ok] as const;
const supervisorsAndAdmins = (ok: number) => [401, 403, ok, ok] as const;
const adminsOnly = (ok: number) => [401, 403, 403, ok] as const;

function dictionaryRows(kind: DictionaryKind): Row[] {
  const base = `/dictionaries/${kind}`;
  const create = () =>
    kind === 'subcategories'
      ? { name: fresh(`matrix ${kind}`), categoryId: ids.category }
      : { name: fresh(`matrix ${kind}`) };
  return [
    { route: `GET ${base}`, request: () => ({ path: base }), expect: signedIn(200) },
    {
      route: `GET ${base}`,
      variant: 'include_deleted=true',
      request: () => ({ path: `${base}?include_deleted=true` }),
      expect: adminsOnly(200),
    },
    {
      route: `POST ${base}`,
      request: () => ({ method: 'POST', path: base, json: create() }),
      expect: adminsOnly(201),
    },
    {
      route: `PATCH ${base}/{id}`,
      request: () => ({
        method: 'PATCH',
        path: `${base}/${ids.dict[kind].patch}`,
        json: { name: fresh(`matrix ${kind} renamed`) },
      }),
      expect: adminsOnly(200),
    },
    {
      route: `DELETE ${base}/{id}`,
      request: () => ({ method: 'DELETE', path: `${base}/${ids.dict[kind].remove}` }),
      expect: adminsOnly(204),
    },
    {
      route: `POST ${base}/{id}/restore`,
      request: () => ({ method: 'POST', path: `${base}/${ids.dict[kind].restore}/restore` }),
      expect: adminsOnly(200),
    },
  ];
}

/** THE matrix: one row per route (a few routes have a second row for a role-dependent variant). */
const MATRIX: Row[] = [
  // columns:                                                  none  op101  sup  admin
  { route: 'GET /health', request: () => ({ path: '/health' }), expect: anyone },
  {
    route: 'GET /openapi.json',
    documented: false,
    request: () => ({ path: '/openapi.json' }),
    expect: anyone,
  },
  { route: 'GET /docs', documented: false, request: () => ({ path: '/docs' }), expect: anyone },

  // auth: the bearer token plays no part; the credentials or the refresh cookie do.
  {
    route: 'POST /auth/login',
    request: () => ({ method: 'POST', path: '/auth/login', json: LOGIN }),
    expect: anyone,
  },
  {
    route: 'POST /auth/refresh',
    request: async () => ({ method: 'POST', path: '/auth/refresh', headers: await refreshCookie() }),
    expect: anyone,
  },
  {
    route: 'POST /auth/logout',
    request: async () => ({ method: 'POST', path: '/auth/logout', headers: await refreshCookie() }),
    expect: [204, 204, 204, 204],
  },

  // calls: any role, within its scope.
  { route: 'GET /calls', request: () => ({ path: '/calls' }), expect: signedIn(200) },
  {
    route: 'POST /calls',
    request: () => ({
      method: 'POST',
      path: '/calls',
      json: {
        direction: 'inbound',
        started_at: new Date(Date.now() - 3_600_000).toISOString(),
        src_number: '+7 916 123-45-67',
        queue: 'support',
      },
    }),
    expect: signedIn(201),
  },
  {
    route: 'GET /calls/{id}',
    variant: 'a call in scope',
    request: () => ({ path: `/calls/${ids.s01}` }),
    expect: signedIn(200),
  },
  {
    route: 'GET /calls/{id}',
    variant: 'a sales call 101 was not on',
    request: () => ({ path: `/calls/${ids.s04}` }),
    expect: [401, 404, 404, 200],
  },
  {
    route: 'GET /calls/{id}/explain',
    variant: 'a call in scope',
    request: () => ({ path: `/calls/${ids.s01}/explain` }),
    expect: signedIn(200),
  },
  {
    route: 'GET /calls/{id}/explain',
    variant: 'a sales call 101 was not on',
    request: () => ({ path: `/calls/${ids.s04}/explain` }),
    expect: [401, 404, 404, 200],
  },
  {
    route: 'PUT /calls/{id}',
    request: async () => ({
      method: 'PUT',
      path: `/calls/${ids.s01}`,
      json: { version: await cardVersion(ids.s01), notes: fresh('matrix note') },
    }),
    expect: signedIn(200),
  },
  {
    route: 'GET /calls/{id}/recording',
    variant: 'listen',
    request: () => ({ path: `/calls/${ids.s01}/recording` }),
    expect: signedIn(200),
  },
  {
    route: 'GET /calls/{id}/recording',
    variant: 'download',
    request: () => ({ path: `/calls/${ids.s01}/recording?download=true` }),
    expect: supervisorsAndAdmins(200),
  },
  { route: 'GET /callbacks', request: () => ({ path: '/callbacks' }), expect: signedIn(200) },
  {
    route: 'GET /callbacks/worklist',
    request: () => ({ path: `/callbacks/worklist?${period}` }),
    expect: signedIn(200),
  },
  {
    route: 'GET /export/calls.csv',
    request: () => ({ path: '/export/calls.csv' }),
    expect: supervisorsAndAdmins(200),
  },
  {
    route: 'GET /export/calls.xlsx',
    request: () => ({ path: '/export/calls.xlsx' }),
    expect: supervisorsAndAdmins(200),
  },

  // reports (ClickHouse): any role, within its scope.
  {
    route: 'GET /reports/facts',
    request: () => ({ path: `/reports/facts?${period}&format=json` }),
    expect: signedIn(200),
  },
  {
    route: 'GET /reports/rollup',
    request: () => ({ path: `/reports/rollup?${period}&grain=day&format=json` }),
    expect: signedIn(200),
  },
  {
    route: 'GET /reports/attempts',
    request: () => ({ path: `/reports/attempts?${period}&format=json` }),
    expect: signedIn(200),
  },
  {
    route: 'GET /reports/segments',
    request: () => ({ path: `/reports/segments?${period}&format=json` }),
    expect: signedIn(200),
  },
  { route: 'GET /me/stats', request: () => ({ path: `/me/stats?${period}` }), expect: signedIn(200) },
  { route: 'GET /live/events', request: () => ({ path: '/live/events' }), expect: signedIn(200) },
  // The wallboard: supervisors (their queues) and admins; operators 403 (wallboard.test.ts).
  {
    route: 'GET /live/wallboard',
    request: () => ({ path: '/live/wallboard' }),
    expect: [401, 403, 200, 200],
  },
  {
    route: 'GET /live/wallboard/events',
    request: () => ({ path: '/live/wallboard/events' }),
    expect: [401, 403, 200, 200],
  },

  // call control through ARI: this app has no ARI_URL, so everyone signed in gets the 503 that says
  // so (the role rules with an ARI peer: control-routes.test.ts); the softphone settings need an
  // endpoint of your own (409 without), here SIP_WSS_URL is unset (configured: false).
  { route: 'GET /control/status', request: () => ({ path: '/control/status' }), expect: signedIn(200) },
  {
    route: 'POST /control/originate',
    request: () => ({ method: 'POST', path: '/control/originate', json: { number: '89161234567' } }),
    expect: [401, 503, 503, 503],
  },
  ...(['hold', 'unhold', 'hangup'] as const).map(
    (action): Row => ({
      route: `POST /control/channels/{channelId}/${action}`,
      request: () => ({ method: 'POST', path: `/control/channels/1795235236.42/${action}` }),
      expect: [401, 503, 503, 503],
    }),
  ),
  {
    route: 'POST /control/channels/{channelId}/transfer',
    request: () => ({
      method: 'POST',
      path: '/control/channels/1795235236.42/transfer',
      json: { to: '102' },
    }),
    expect: [401, 503, 503, 503],
  },
  {
    route: 'POST /control/listen',
    request: () => ({ method: 'POST', path: '/control/listen', json: { operator_id: 1 } }),
    expect: [401, 403, 503, 503],
  },
  { route: 'GET /me/softphone', request: () => ({ path: '/me/softphone' }), expect: [401, 200, 409, 409] },

  // own preferences and saved filters: every signed-in user, their own rows.
  { route: 'GET /me/preferences', request: () => ({ path: '/me/preferences' }), expect: signedIn(200) },
  {
    route: 'PUT /me/preferences',
    request: () => ({ method: 'PUT', path: '/me/preferences', json: { language: 'ru' } }),
    expect: signedIn(200),
  },
  { route: 'GET /me/filters', request: () => ({ path: '/me/filters?page=reports' }), expect: signedIn(200) },
  {
    route: 'PUT /me/filters',
    request: () => ({
      method: 'PUT',
      path: '/me/filters',
      json: { page: 'reports', name: 'Неделя', filters: { from: '2026-11-16' } },
    }),
    expect: signedIn(200),
  },
  {
    route: 'DELETE /me/filters/{id}',
    request: () => ({ method: 'DELETE', path: '/me/filters/999999' }),
    expect: [401, 404, 404, 404],
  },

  // presence (no AMI in this app: recorded, not applied to queues).
  { route: 'GET /presence', request: () => ({ path: '/presence' }), expect: signedIn(200) },
  { route: 'GET /presence/reasons', request: () => ({ path: '/presence/reasons' }), expect: signedIn(200) },
  {
    route: 'POST /presence/reasons',
    request: () => ({
      method: 'POST',
      path: '/presence/reasons',
      json: { code: fresh('matrix_reason').replace('-', '_'), label: fresh('Причина') },
    }),
    expect: adminsOnly(201),
  },
  {
    route: 'PATCH /presence/reasons/{code}',
    request: () => ({
      method: 'PATCH',
      path: '/presence/reasons/matrix_patch',
      json: { label: fresh('Переименована') },
    }),
    expect: adminsOnly(200),
  },
  {
    route: 'DELETE /presence/reasons/{code}',
    request: () => ({ method: 'DELETE', path: '/presence/reasons/matrix_remove' }),
    expect: adminsOnly(204),
  },
  {
    // Open to every signed-in user; the current password is checked (a wrong one is 400 wrong_current_password).
    route: 'PUT /me/password',
    request: () => ({
      method: 'PUT',
      path: '/me/password',
      json: { currentPassword: 'not-this-users-password', newPassword: 'a-new-password-1' },
    }),
    expect: signedIn(400),
  },
  {
    route: 'PUT /me/presence',
    request: () => ({ method: 'PUT', path: '/me/presence', json: { state: 'paused', reason: 'lunch' } }),
    expect: [401, 200, 403, 403],
  },
  {
    route: 'PUT /presence/{operatorId}',
    request: () => ({ method: 'PUT', path: `/presence/${ids.operator101}`, json: { state: 'available' } }),
    expect: supervisorsAndAdmins(200),
  },
  {
    route: 'GET /reports/presence',
    request: () => ({ path: `/reports/presence?${period}` }),
    expect: signedIn(200),
  },
  {
    route: 'GET /reports/operator-sessions',
    request: () => ({ path: `/reports/operator-sessions?${period}&zone=Europe/Moscow` }),
    expect: signedIn(200),
  },

  // administration.
  { route: 'GET /queues', request: () => ({ path: '/queues' }), expect: signedIn(200) },
  {
    route: 'PATCH /queues/{id}',
    request: () => ({
      method: 'PATCH',
      path: `/queues/${ids.supportQueue}`,
      json: { displayName: fresh('Support') },
    }),
    expect: adminsOnly(200),
  },
  ...DICTIONARY_KINDS.flatMap(dictionaryRows),
  { route: 'GET /users', request: () => ({ path: '/users' }), expect: adminsOnly(200) },
  {
    route: 'POST /users',
    request: () => ({
      method: 'POST',
      path: '/users',
      json: {
        login: fresh('matrix-new'),
        password: 'correct horse battery',
        role: 'operator',
        endpoint: '199',
      },
    }),
    expect: adminsOnly(201),
  },
  {
    route: 'PATCH /users/{id}',
    request: () => ({
      method: 'PATCH',
      path: `/users/${ids.patchedUser}`,
      json: { displayName: fresh('Matrix Target') },
    }),
    expect: adminsOnly(200),
  },
  { route: 'GET /audit', request: () => ({ path: '/audit' }), expect: adminsOnly(200) },
  { route: 'GET /archive/runs', request: () => ({ path: '/archive/runs' }), expect: adminsOnly(200) },
  // Without ARCHIVE_DIR in this app an admin's "run now" is refused with archive_unconfigured.
  {
    route: 'POST /archive/runs',
    request: () => ({ method: 'POST', path: '/archive/runs' }),
    expect: adminsOnly(409),
  },
  {
    route: 'GET /archive/runs/{id}',
    request: () => ({ path: `/archive/runs/${ids.archiveRun}` }),
    expect: adminsOnly(200),
  },
  { route: 'GET /quality', request: () => ({ path: '/quality' }), expect: adminsOnly(200) },
  {
    route: 'POST /quality/rederive',
    request: () => ({ method: 'POST', path: '/quality/rederive', json: { callIds: [ids.s01] } }),
    expect: adminsOnly(200),
  },
];

const HTTP_METHODS = new Set(['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace']);

/** `/calls/{id}/recording` → a regex a request path must match. */
const routePattern = (template: string) =>
  new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+').replace(/\./g, '\\.')}$`);

async function send(req: Req, who: Who): Promise<Response> {
  const headers: Record<string, string> = { ...(req.headers ?? {}) };
  const token = tokens[who];
  if (token) headers.authorization = `Bearer ${token}`;
  let body: string | undefined;
  if (req.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(req.json);
  }
  return app.request(req.path, { method: req.method ?? 'GET', headers, body });
}

beforeAll(async () => {
  kit = await openApiTestKit();
  const { pool } = kit.stores.postgres;
  // The app of the kit with a live bus this file owns, so it can be closed (GET /live/events).
  bus = new LiveBus({ source: callChangeSource({ connectionString: pool.options.connectionString!, pool }) });
  app = createApp({
    db: db(),
    pool,
    clickhouse: kit.stores.clickhouse,
    config: kit.config,
    live: bus,
    log: (line) => logged.push(line),
  });

  tokens['operator 101'] = (
    await kit.user({ login: 'matrix-op101', role: 'operator', endpoint: '101' })
  ).token;
  tokens['supervisor of support'] = (
    await kit.user({ login: 'matrix-sup-support', role: 'supervisor', queues: ['support'] })
  ).token;
  tokens.admin = (await kit.user({ login: 'matrix-admin', role: 'admin' })).token;
  ids.patchedUser = (await kit.user({ login: 'matrix-target', role: 'operator', endpoint: '104' })).user.id;
  ids.loginUser = (await kit.user({ login: LOGIN.login, role: 'operator', endpoint: '105' })).user.id;
  await db()
    .updateTable('app.users')
    .set({ password_hash: await hashPassword(LOGIN.password, 4) })
    .where('id', '=', ids.loginUser)
    .execute();

  const calls = await db().selectFrom('app.calls').select(['id', 'linkedid', 'started_at']).execute();
  ids.s01 = calls.find((c) => c.linkedid === S01)!.id;
  ids.s04 = calls.find((c) => c.linkedid === S04)!.id;
  const starts = calls.map((c) => new Date(c.started_at as unknown as string).getTime());
  const from = new Date(Math.min(...starts) - 86_400_000).toISOString();
  const to = new Date(Math.max(...starts) + 86_400_000).toISOString();
  period = `from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`;

  await db()
    .insertInto('app.presence_reasons')
    .values([
      { code: 'matrix_patch', label: 'Для переименования' },
      { code: 'matrix_remove', label: 'Для удаления' },
    ])
    .execute();
  ids.operator101 = (
    await db()
      .selectFrom('app.operators')
      .select('id')
      .where('endpoint', '=', '101')
      .executeTakeFirstOrThrow()
  ).id;
  ids.archiveRun = await insertRequestedRun(db(), {
    target: '/mnt/nas',
    timeZone: 'UTC',
    requestedBy: 'matrix',
  });
  ids.supportQueue = (
    await db().selectFrom('app.queues').select('id').where('name', '=', 'support').executeTakeFirstOrThrow()
  ).id;
  ids.category = (
    await db()
      .selectFrom('app.call_categories')
      .select('id')
      .where('deleted_at', 'is', null)
      .orderBy('id')
      .executeTakeFirstOrThrow()
  ).id;
  for (const kind of DICTIONARY_KINDS) {
    const entry = async (deleted: boolean) => {
      const values = { name: fresh(`matrix ${kind} entry`), deleted_at: deleted ? new Date() : null };
      const row =
        kind === 'subcategories'
          ? await db()
              .insertInto('app.call_subcategories')
              .values({ ...values, category_id: ids.category })
              .returning('id')
              .executeTakeFirstOrThrow()
          : await db()
              .insertInto(`app.call_${kind}` as 'app.call_purposes')
              .values(values)
              .returning('id')
              .executeTakeFirstOrThrow();
      return row.id;
    };
    ids.dict[kind] = { patch: await entry(false), remove: await entry(false), restore: await entry(true) };
  }

  // Scenario 01's recording, where the kit's recordingsDir expects it.
  mkdirSync(kit.config.recordingsDir, { recursive: true });
  writeFileSync(join(kit.config.recordingsDir, S01_RECORDING), Buffer.alloc(1044, 1));
});

afterAll(async () => {
  await bus?.close();
  await kit?.dispose();
});

describe('role × route matrix', () => {
  it('lists every route of /openapi.json, and only those (besides the undocumented ones it names)', async () => {
    const res = await app.request('/openapi.json');
    expect(res.status).toBe(200);
    const doc = (await res.json()) as { paths: Record<string, Record<string, unknown>> };
    const documented = Object.entries(doc.paths).flatMap(([path, item]) =>
      Object.keys(item)
        .filter((key) => HTTP_METHODS.has(key))
        .map((method) => `${method.toUpperCase()} ${path}`),
    );
    const inTable = new Set(MATRIX.filter((r) => r.documented !== false).map((r) => r.route));
    expect(
      documented.filter((route) => !inTable.has(route)),
      'documented routes missing from MATRIX',
    ).toEqual([]);
    expect(
      [...inTable].filter((route) => !documented.includes(route)),
      'MATRIX rows for routes /openapi.json does not document',
    ).toEqual([]);
  });

  it.each(MATRIX.map((row) => [`${row.route}${row.variant ? ` (${row.variant})` : ''}`, row] as const))(
    '%s',
    async (_label, row) => {
      const [method, template] = row.route.split(' ') as [string, string];
      const got: number[] = [];
      const badBodies: string[] = [];
      for (const who of WHO) {
        const req = await row.request(who);
        expect(req.method ?? 'GET', `${who}: the request's method`).toBe(method);
        expect(req.path.split('?')[0], `${who}: the request's path`).toMatch(routePattern(template));
        const res = await send(req, who);
        got.push(res.status);
        if (res.status === 401 || res.status === 403) {
          const body = (await res.json()) as { error?: string };
          const want = res.status === 401 ? 'unauthorized' : 'forbidden';
          if (body.error !== want) badBodies.push(`${who}: ${res.status} with error ${body.error}`);
        } else if (res.headers.get('content-type')?.startsWith('text/event-stream')) {
          await res.body?.cancel(); // the live stream never ends by itself
        } else {
          await res.arrayBuffer(); // CSV, Arrow, audio: read to the end, so a failing stream shows
        }
      }
      expect(Object.fromEntries(WHO.map((who, i) => [who, got[i]])), `${row.route} by role`).toEqual(
        Object.fromEntries(WHO.map((who, i) => [who, row.expect[i]])),
      );
      expect(badBodies).toEqual([]);
    },
  );

  it('the app logged no failure while serving the matrix', () => {
    expect(logged).toEqual([]);
  });
});
