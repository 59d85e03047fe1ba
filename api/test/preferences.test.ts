import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiTestKit, openApiTestKit } from './support/api-test-kit.ts';

/**
 * A person's own preferences and saved filters (`/me/preferences`, `/me/filters`), and the
 * report drill-down filters of `GET /calls` (`time_from`/`time_to` in `tz`, `did`) over the 31
 * calls of the bundled captures, counted against the database.
 */

let kit: ApiTestKit;
let admin: string;
let other: string;

interface Saved {
  id: number;
  page: string;
  name: string;
  filters: Record<string, string>;
}

beforeAll(async () => {
  kit = await openApiTestKit();
  admin = (await kit.user({ login: 'pref-admin', role: 'admin' })).token;
  other = (await kit.user({ login: 'pref-sup', role: 'supervisor', queues: ['sales'] })).token;
});

afterAll(async () => {
  await kit?.dispose();
});

describe('/me/preferences', () => {
  it('keeps the language and e-mail, refuses bad values with 400', async () => {
    expect(await (await kit.request('/me/preferences', { token: admin })).json()).toEqual({
      language: null,
      email: null,
    });
    const put = await kit.request('/me/preferences', {
      method: 'PUT',
      token: admin,
      json: { language: 'ru', email: 'head@clinic.example' },
    });
    expect(put.status).toBe(200);
    expect(await (await kit.request('/me/preferences', { token: admin })).json()).toEqual({
      language: 'ru',
      email: 'head@clinic.example',
    });
    for (const json of [{ language: 'de' }, { email: 'not an address' }, { theme: 'dark' }]) {
      expect((await kit.request('/me/preferences', { method: 'PUT', token: admin, json })).status).toBe(400);
    }
  });
});

describe('/me/filters', () => {
  it('saves by name per page, replaces a name, lists only your own, deletes only your own', async () => {
    const save = (token: string, name: string, filters: Record<string, string>) =>
      kit.request('/me/filters', { method: 'PUT', token, json: { page: 'reports', name, filters } });
    const first = (await (
      await save(admin, 'Поддержка, неделя', { queue: 'support', from: '2026-11-16' })
    ).json()) as Saved;
    const again = (await (
      await save(admin, 'Поддержка, неделя', { queue: 'support', from: '2026-11-17' })
    ).json()) as Saved;
    expect(again.id).toBe(first.id);
    expect(again.filters).toEqual({ queue: 'support', from: '2026-11-17' });
    await save(other, 'Продажи', { queue: 'sales' });
    const mine = (await (await kit.request('/me/filters?page=reports', { token: admin })).json()) as Saved[];
    expect(mine.map((f) => f.name)).toEqual(['Поддержка, неделя']);
    expect(
      (await (await kit.request('/me/filters?page=journal', { token: admin })).json()) as Saved[],
    ).toEqual([]);
    // Someone else's id is not yours: 404, and it stays.
    const theirs = (
      (await (await kit.request('/me/filters?page=reports', { token: other })).json()) as Saved[]
    )[0];
    expect((await kit.request(`/me/filters/${theirs?.id}`, { method: 'DELETE', token: admin })).status).toBe(
      404,
    );
    expect((await kit.request(`/me/filters/${first.id}`, { method: 'DELETE', token: admin })).status).toBe(
      204,
    );
    expect(
      (await (await kit.request('/me/filters?page=reports', { token: other })).json()) as Saved[],
    ).toHaveLength(1);
    expect((await save(admin, '', {})).status).toBe(400);
    expect((await save(admin, 'x', { 'bad key': '1' })).status).toBe(400);
    expect((await kit.request('/me/filters?page=nope', { token: admin })).status).toBe(400);
  });
});

describe('GET /calls drill-down filters', () => {
  /** The ids GET /calls lists under `params`. */
  async function ids(params: Record<string, string>): Promise<number[]> {
    const res = await kit.request(`/calls?${new URLSearchParams({ ...params, limit: '500' })}`, {
      token: admin,
    });
    expect(res.status).toBe(200);
    return ((await res.json()) as { items: { id: number }[] }).items.map((c) => c.id).sort((a, b) => a - b);
  }

  it('lists the calls started in a local interval of the day, in the zone given', async () => {
    const all = await kit.stores.postgres.db.selectFrom('app.calls').select(['id', 'started_at']).execute();
    const moscowMinute = (d: Date) => {
      const [h, m] = new Intl.DateTimeFormat('en-GB', {
        timeZone: 'Europe/Moscow',
        hour: '2-digit',
        minute: '2-digit',
        hourCycle: 'h23',
      })
        .format(d)
        .split(':')
        .map(Number);
      return h! * 60 + m!;
    };
    // The hour the captures' first call is in, and every hour to the end of the day.
    const minutes = all.map((c) => moscowMinute(c.started_at));
    const hour = Math.floor(Math.min(...minutes) / 60);
    const hh = (n: number) => `${String(n).padStart(2, '0')}:00`;
    const expected = all
      .filter((c) => Math.floor(moscowMinute(c.started_at) / 60) === hour)
      .map((c) => c.id)
      .sort((a, b) => a - b);
    expect(expected.length).toBeGreaterThan(0);
    expect(await ids({ time_from: hh(hour), time_to: hh(hour + 1), tz: 'Europe/Moscow' })).toEqual(expected);
    expect(await ids({ time_from: hh(hour), time_to: '24:00', tz: 'Europe/Moscow' })).toHaveLength(
      minutes.filter((m) => m >= hour * 60).length,
    );
    // The same hour in UTC is another set unless Moscow were UTC.
    expect(await ids({ time_from: hh(hour), time_to: hh(hour + 1), tz: 'UTC' })).not.toEqual(expected);
  });

  it('filters by DID and refuses bad times and zones with 400', async () => {
    const did = await kit.stores.postgres.db
      .selectFrom('app.calls')
      .where('did', 'is not', null)
      .select('did')
      .executeTakeFirst();
    if (did?.did) {
      const count = await kit.stores.postgres.db
        .selectFrom('app.calls')
        .where('did', '=', did.did)
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .executeTakeFirstOrThrow();
      expect(await ids({ did: did.did })).toHaveLength(Number(count.n));
    }
    for (const params of <Record<string, string>[]>[
      { time_from: '25:00' },
      { time_from: '10:00', time_to: '09:00' },
      { tz: 'Mars/Olympus' },
    ]) {
      const res = await kit.request(`/calls?${new URLSearchParams(params)}`, { token: admin });
      expect(res.status).toBe(400);
    }
  });
});
