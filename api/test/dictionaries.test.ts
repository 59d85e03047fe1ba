import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiTestKit, openApiTestKit } from './support/api-test-kit.ts';

/**
 * The call-card dictionaries over real PostgreSQL: the Russian seed in order, reads for every
 * role, admin-only changes with soft delete and restore, 409 for clashes, 400 (with the error body
 * and no database change) for every kind of bad input, and an audit row per change.
 */
let kit: ApiTestKit;
let admin: string;
let supervisor: string;
let operator: string;

interface Item {
  id: number;
  name: string;
  sortOrder: number;
  deletedAt: string | null;
  categoryId?: number;
}
interface ErrorBody {
  error: string;
  message: string;
  details?: unknown;
}

beforeAll(async () => {
  kit = await openApiTestKit();
  admin = (await kit.user({ login: 'dict-admin', role: 'admin' })).token;
  supervisor = (await kit.user({ login: 'dict-supervisor', role: 'supervisor', queues: ['support'] })).token;
  operator = (await kit.user({ login: 'dict-operator', role: 'operator', endpoint: '101' })).token;
});
afterAll(async () => {
  await kit?.dispose();
});

const KINDS = ['purposes', 'categories', 'subcategories', 'tags'] as const;

async function list(kind: string, token = admin, query = ''): Promise<Item[]> {
  const res = await kit.request(`/dictionaries/${kind}${query}`, { token });
  expect(res.status).toBe(200);
  return ((await res.json()) as { items: Item[] }).items;
}

async function send(method: string, path: string, json?: unknown, token = admin) {
  const res = await kit.request(path, { method, token, ...(json !== undefined ? { json } : {}) });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as unknown) : undefined };
}

async function create(kind: string, json: unknown): Promise<Item> {
  const res = await send('POST', `/dictionaries/${kind}`, json);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as Item;
}

/** Every dictionary row and the audit log, to prove a refused request changed nothing. */
async function snapshot() {
  const db = kit.stores.postgres.db;
  return {
    purposes: await db.selectFrom('app.call_purposes').selectAll().orderBy('id').execute(),
    categories: await db.selectFrom('app.call_categories').selectAll().orderBy('id').execute(),
    subcategories: await db.selectFrom('app.call_subcategories').selectAll().orderBy('id').execute(),
    tags: await db.selectFrom('app.call_tags').selectAll().orderBy('id').execute(),
    audit: await db.selectFrom('app.audit_log').selectAll().orderBy('id').execute(),
  };
}

async function auditRows(target: string) {
  return kit.stores.postgres.db
    .selectFrom('app.audit_log')
    .selectAll()
    .where('target', '=', target)
    .orderBy('id')
    .execute();
}

describe('dictionaries: reading', () => {
  it('returns the Russian seed in sort order', async () => {
    const purposes = await list('purposes', operator);
    expect(purposes.map((p) => p.name)).toEqual([
      'Запись на приём',
      'Перенос/отмена визита',
      'Консультация по услугам',
      'Жалоба/претензия',
      'Уточнение расписания',
      'Вопрос по результатам анализов',
      'Финансовые вопросы',
      'Вопрос по страхованию',
      'Техническая помощь',
      'Прочее',
    ]);
    expect(purposes[0]).toEqual({
      id: expect.any(Number),
      name: 'Запись на приём',
      sortOrder: 10,
      deletedAt: null,
    });
    expect(purposes.map((p) => p.sortOrder)).toEqual([10, 20, 30, 40, 50, 60, 70, 80, 90, 100]);
    expect(purposes.every((p) => !('categoryId' in p))).toBe(true);

    const categories = await list('categories', operator);
    expect(categories).toHaveLength(7);
    expect(categories[0]!.name).toBe('Медицинские услуги');
    expect(categories.at(-1)!.name).toBe('Прочее');
    expect(await list('subcategories', operator)).toEqual([]);
    expect(await list('tags', operator)).toEqual([]);
  });

  it('lets every role read every dictionary', async () => {
    for (const token of [operator, supervisor, admin]) {
      for (const kind of KINDS) {
        const res = await kit.request(`/dictionaries/${kind}`, { token });
        expect(res.status, `${kind}`).toBe(200);
      }
    }
  });

  it('needs a token (401 with the error body)', async () => {
    for (const kind of KINDS) {
      const res = await kit.request(`/dictionaries/${kind}`);
      expect(res.status).toBe(401);
      expect(((await res.json()) as ErrorBody).error).toBe('unauthorized');
    }
    const bad = await kit.request('/dictionaries/purposes', { token: 'not-a-jwt' });
    expect(bad.status).toBe(401);
    const write = await send('POST', '/dictionaries/tags', { name: 'без токена' }, '');
    expect(write.status).toBe(401);
  });

  it('shows soft-deleted entries only to admins asking for them', async () => {
    const res = await kit.request('/dictionaries/purposes?include_deleted=true', { token: operator });
    expect(res.status).toBe(403);
    expect(((await res.json()) as ErrorBody).error).toBe('forbidden');
    expect((await kit.request('/dictionaries/tags?include_deleted=true', { token: supervisor })).status).toBe(
      403,
    );
    expect(await list('purposes', operator, '?include_deleted=false')).toHaveLength(10);
  });
});

describe('dictionaries: admin changes', () => {
  it('refuses writes from operators and supervisors (403) and changes nothing', async () => {
    const before = await snapshot();
    const purposeId = before.purposes[0]!.id;
    for (const token of [operator, supervisor]) {
      for (const [method, path, json] of [
        ['POST', '/dictionaries/purposes', { name: 'Новая' }],
        ['PATCH', `/dictionaries/purposes/${purposeId}`, { name: 'Иная' }],
        ['DELETE', `/dictionaries/purposes/${purposeId}`, undefined],
        ['POST', `/dictionaries/purposes/${purposeId}/restore`, undefined],
        ['POST', '/dictionaries/tags', { name: 'VIP' }],
        // Role is checked before the body: a bad body still gets 403.
        ['POST', '/dictionaries/tags', { bogus: true }],
      ] as const) {
        const res = await send(method, path, json, token);
        expect(res.status, `${method} ${path}`).toBe(403);
        expect((res.body as ErrorBody).error).toBe('forbidden');
      }
    }
    expect(await snapshot()).toEqual(before);
  });

  it('creates, renames, reorders, soft-deletes and restores an entry, auditing each step', async () => {
    const tag = await create('tags', { name: '  VIP  ', sortOrder: 5 });
    expect(tag).toEqual({ id: expect.any(Number), name: 'VIP', sortOrder: 5, deletedAt: null });
    await create('tags', { name: 'Повторный звонок', sortOrder: 10 });
    expect((await list('tags', operator)).map((t) => t.name)).toEqual(['VIP', 'Повторный звонок']);

    const renamed = await send('PATCH', `/dictionaries/tags/${tag.id}`, { name: 'VIP-клиент' });
    expect(renamed).toEqual({ status: 200, body: { ...tag, name: 'VIP-клиент' } });
    const moved = await send('PATCH', `/dictionaries/tags/${tag.id}`, { sortOrder: 20 });
    expect(moved.status).toBe(200);
    expect((await list('tags', operator)).map((t) => t.name)).toEqual(['Повторный звонок', 'VIP-клиент']);

    const deleted = await send('DELETE', `/dictionaries/tags/${tag.id}`);
    expect(deleted).toEqual({ status: 204, body: undefined });
    expect((await list('tags', operator)).map((t) => t.name)).toEqual(['Повторный звонок']);
    const withDeleted = await list('tags', admin, '?include_deleted=true');
    const gone = withDeleted.find((t) => t.id === tag.id)!;
    expect(gone.name).toBe('VIP-клиент');
    expect(Date.parse(gone.deletedAt!)).not.toBeNaN();
    // The row stays: cards that used it still show it.
    const row = await kit.stores.postgres.db
      .selectFrom('app.call_tags')
      .selectAll()
      .where('id', '=', tag.id)
      .executeTakeFirstOrThrow();
    expect(row.deleted_at).not.toBeNull();
    // Deleting again is a no-op.
    expect((await send('DELETE', `/dictionaries/tags/${tag.id}`)).status).toBe(204);

    const restored = await send('POST', `/dictionaries/tags/${tag.id}/restore`);
    expect(restored).toEqual({
      status: 200,
      body: { id: tag.id, name: 'VIP-клиент', sortOrder: 20, deletedAt: null },
    });
    expect((await list('tags', operator)).map((t) => t.name)).toEqual(['Повторный звонок', 'VIP-клиент']);

    const audit = await auditRows(`tags:${tag.id}`);
    expect(audit.map((a) => [a.action, (a.details as { op: string }).op, a.login])).toEqual([
      ['dictionary_change', 'create', 'dict-admin'],
      ['dictionary_change', 'update', 'dict-admin'],
      ['dictionary_change', 'update', 'dict-admin'],
      ['dictionary_change', 'delete', 'dict-admin'],
      ['dictionary_change', 'restore', 'dict-admin'],
    ]);
    expect(audit[1]!.details).toMatchObject({ before: { name: 'VIP' }, after: { name: 'VIP-клиент' } });
    expect(audit[3]!.details).toMatchObject({
      before: { deletedAt: null },
      after: { deletedAt: expect.any(String) },
    });
  });

  it('puts a new entry without sortOrder first (0) and trims its name', async () => {
    const purpose = await create('purposes', { name: '\tСрочный вызов ' });
    expect(purpose).toMatchObject({ name: 'Срочный вызов', sortOrder: 0 });
    expect((await list('purposes', operator))[0]!.id).toBe(purpose.id);
    expect((await send('DELETE', `/dictionaries/purposes/${purpose.id}`)).status).toBe(204);
    expect(await list('purposes', operator)).toHaveLength(10);
  });

  it('refuses a duplicate live name with 409, but a deleted name may be reused', async () => {
    const before = await snapshot();
    const dup = await send('POST', '/dictionaries/purposes', { name: 'Прочее' });
    expect(dup.status).toBe(409);
    expect(dup.body).toMatchObject({ error: 'conflict', details: { kind: 'purposes', name: 'Прочее' } });
    const other = before.purposes.find((p) => p.name === 'Финансовые вопросы')!;
    const rename = await send('PATCH', `/dictionaries/purposes/${other.id}`, { name: ' Прочее' });
    expect(rename.status).toBe(409);
    expect(await snapshot()).toEqual(before);

    const old = await create('categories', { name: 'Архив', sortOrder: 900 });
    expect((await send('DELETE', `/dictionaries/categories/${old.id}`)).status).toBe(204);
    const again = await create('categories', { name: 'Архив', sortOrder: 901 });
    // Restoring the old one now clashes with the live one.
    const restore = await send('POST', `/dictionaries/categories/${old.id}/restore`);
    expect(restore.status).toBe(409);
    expect((restore.body as ErrorBody).error).toBe('conflict');
    expect((await send('DELETE', `/dictionaries/categories/${again.id}`)).status).toBe(204);
  });

  it('keeps subcategories under a live category and refuses to delete a category that has some', async () => {
    const categories = await list('categories', operator);
    const lab = categories.find((c) => c.name === 'Лаборатория/анализы')!;
    const schedule = categories.find((c) => c.name === 'Расписание/приём')!;

    const sub = await create('subcategories', {
      name: 'Готовность результатов',
      categoryId: lab.id,
      sortOrder: 1,
    });
    expect(sub).toEqual({
      id: expect.any(Number),
      name: 'Готовность результатов',
      sortOrder: 1,
      deletedAt: null,
      categoryId: lab.id,
    });
    // The same name under another category is fine; twice under one is not.
    const other = await create('subcategories', { name: 'Готовность результатов', categoryId: schedule.id });
    const dup = await send('POST', '/dictionaries/subcategories', {
      name: 'Готовность результатов',
      categoryId: lab.id,
    });
    expect(dup.status).toBe(409);

    expect((await list('subcategories', operator, `?category_id=${lab.id}`)).map((s) => s.id)).toEqual([
      sub.id,
    ]);
    expect((await list('subcategories', operator)).map((s) => s.id).sort()).toEqual(
      [sub.id, other.id].sort(),
    );

    // Unknown or deleted category: 400.
    const missing = await send('POST', '/dictionaries/subcategories', {
      name: 'Сироты',
      categoryId: 999_999,
    });
    expect(missing.status).toBe(400);
    expect(missing.body).toMatchObject({ error: 'bad_request', details: { categoryId: 999_999 } });

    const blocked = await send('DELETE', `/dictionaries/categories/${lab.id}`);
    expect(blocked.status).toBe(409);
    expect(blocked.body).toMatchObject({
      error: 'conflict',
      details: { categoryId: lab.id, subcategories: [{ id: sub.id, name: 'Готовность результатов' }] },
    });
    expect((await list('categories', operator)).map((c) => c.id)).toContain(lab.id);

    // Move the subcategory away (into the category that already has that name: 409), then delete it.
    expect(
      (await send('PATCH', `/dictionaries/subcategories/${sub.id}`, { categoryId: schedule.id })).status,
    ).toBe(409);
    expect((await send('DELETE', `/dictionaries/subcategories/${sub.id}`)).status).toBe(204);
    expect((await send('DELETE', `/dictionaries/categories/${lab.id}`)).status).toBe(204);

    const orphan = await send('POST', '/dictionaries/subcategories', { name: 'Сироты', categoryId: lab.id });
    expect(orphan.status).toBe(400);
    const move = await send('PATCH', `/dictionaries/subcategories/${other.id}`, { categoryId: lab.id });
    expect(move.status).toBe(400);
    // A subcategory cannot come back under a deleted category.
    const early = await send('POST', `/dictionaries/subcategories/${sub.id}/restore`);
    expect(early.status).toBe(409);
    expect(early.body).toMatchObject({ error: 'conflict', details: { categoryId: lab.id } });

    expect((await send('POST', `/dictionaries/categories/${lab.id}/restore`)).status).toBe(200);
    const back = await send('POST', `/dictionaries/subcategories/${sub.id}/restore`);
    expect(back).toMatchObject({ status: 200, body: { id: sub.id, categoryId: lab.id, deletedAt: null } });
  });

  it('answers 404 for unknown ids', async () => {
    for (const [method, path, json] of [
      ['PATCH', '/dictionaries/purposes/999999', { name: 'Нет' }],
      ['DELETE', '/dictionaries/tags/999999', undefined],
      ['POST', '/dictionaries/categories/999999/restore', undefined],
    ] as const) {
      const res = await send(method, path, json);
      expect(res.status, path).toBe(404);
      expect((res.body as ErrorBody).error).toBe('not_found');
    }
  });
});

describe('dictionaries: bad input', () => {
  it('answers 400 with the error body and changes nothing', async () => {
    const before = await snapshot();
    const purposeId = before.purposes[0]!.id;
    const categoryId = before.categories[0]!.id;
    const cases: [string, string, unknown][] = [
      ['POST', '/dictionaries/purposes', { name: 'Лишнее поле', color: 'red' }],
      ['POST', '/dictionaries/purposes', { name: '' }],
      ['POST', '/dictionaries/purposes', { name: '   ' }],
      ['POST', '/dictionaries/purposes', { name: 'я'.repeat(201) }],
      ['POST', '/dictionaries/purposes', { name: 42 }],
      ['POST', '/dictionaries/purposes', { name: null }],
      ['POST', '/dictionaries/purposes', { name: ['a'] }],
      ['POST', '/dictionaries/purposes', {}],
      ['POST', '/dictionaries/purposes', []],
      ['POST', '/dictionaries/purposes', 'Запись'],
      ['POST', '/dictionaries/purposes', { name: 'Нуль\u0000байт' }],
      ['POST', '/dictionaries/purposes', { name: 'Строка', sortOrder: '5' }],
      ['POST', '/dictionaries/purposes', { name: 'Дробь', sortOrder: 1.5 }],
      ['POST', '/dictionaries/purposes', { name: 'Огромное', sortOrder: 1e12 }],
      ['POST', '/dictionaries/purposes', { name: 'Отрицательное', sortOrder: -1 }],
      ['POST', '/dictionaries/purposes', { name: 'Чужое поле', categoryId }],
      ['POST', '/dictionaries/subcategories', { name: 'Без категории' }],
      ['POST', '/dictionaries/subcategories', { name: 'Строка', categoryId: String(categoryId) }],
      ['POST', '/dictionaries/subcategories', { name: 'Огромная', categoryId: 1e20 }],
      ['PATCH', `/dictionaries/purposes/${purposeId}`, {}],
      ['PATCH', `/dictionaries/purposes/${purposeId}`, { name: '' }],
      ['PATCH', `/dictionaries/purposes/${purposeId}`, { deletedAt: null }],
      ['PATCH', `/dictionaries/purposes/${purposeId}`, { sortOrder: 2 ** 31 }],
      ['PATCH', '/dictionaries/purposes/1 OR 1=1', { name: 'Инъекция' }],
      ['PATCH', "/dictionaries/purposes/1'; DROP TABLE app.call_purposes; --", { name: 'Инъекция' }],
      ['PATCH', '/dictionaries/purposes/-1', { name: 'Минус' }],
      ['PATCH', '/dictionaries/purposes/1.5', { name: 'Дробь' }],
      ['PATCH', '/dictionaries/purposes/0', { name: 'Ноль' }],
      ['PATCH', '/dictionaries/purposes/99999999999999999999', { name: 'Огромный' }],
      ['DELETE', '/dictionaries/purposes/abc', undefined],
      ['DELETE', '/dictionaries/purposes/1e3', undefined],
      ['POST', '/dictionaries/tags/1 OR 1=1/restore', undefined],
      ['GET', '/dictionaries/subcategories?category_id=1 OR 1=1', undefined],
      ['GET', '/dictionaries/subcategories?category_id=99999999999999999999', undefined],
      ['GET', '/dictionaries/purposes?include_deleted=yes', undefined],
    ];
    for (const [method, path, json] of cases) {
      const res = await send(method, path, json);
      const label = `${method} ${path} ${JSON.stringify(json)}`;
      expect(res.status, label).toBe(400);
      const body = res.body as ErrorBody;
      expect(typeof body.error, label).toBe('string');
      expect(typeof body.message, label).toBe('string');
    }
    expect(await snapshot()).toEqual(before);
  });

  it('reports field problems as validation_failed with the issues', async () => {
    const res = await send('POST', '/dictionaries/tags', { name: 'Ок', extra: 1 });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: 'validation_failed', message: 'the request is not valid' });
    expect(JSON.stringify((res.body as ErrorBody).details)).toContain('extra');
  });

  it('answers malformed JSON with 400 and the error body', async () => {
    const before = await snapshot();
    for (const body of ['{"name":', '{name: "x"}', '']) {
      const res = await kit.app.request('/dictionaries/purposes', {
        method: 'POST',
        headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
        body,
      });
      expect(res.status, body).toBe(400);
      const json = (await res.json()) as ErrorBody;
      expect(json.error).toMatch(/bad_request|validation_failed/);
      expect(typeof json.message).toBe('string');
    }
    expect(await snapshot()).toEqual(before);
  });
});

describe('dictionaries: OpenAPI', () => {
  it('documents every dictionary route', async () => {
    const doc = (await (await kit.request('/openapi.json')).json()) as {
      paths: Record<string, Record<string, unknown>>;
    };
    for (const kind of KINDS) {
      expect(Object.keys(doc.paths[`/dictionaries/${kind}`] ?? {}).sort()).toEqual(['get', 'post']);
      expect(Object.keys(doc.paths[`/dictionaries/${kind}/{id}`] ?? {}).sort()).toEqual(['delete', 'patch']);
      expect(Object.keys(doc.paths[`/dictionaries/${kind}/{id}/restore`] ?? {})).toEqual(['post']);
    }
  });
});
