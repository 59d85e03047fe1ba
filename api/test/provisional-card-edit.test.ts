import { join } from 'node:path';
import { readCapture } from '@callcenter/ingest/captures';
import { freshCapture } from '@callcenter/ingest/fresh-capture';
import { replayCapture } from '@callcenter/ingest/replay';
import { SCENARIOS_DIR } from '@callcenter/ingest/testing/fixtures';
import { CelRinging } from '@callcenter/live/cel-ringing';
import { ProvisionalCards } from '@callcenter/live/provisional-cards';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiTestKit, openApiTestKit } from './support/api-test-kit.ts';

/**
 * The operator's card of a call in progress on a server without ARI (README.md, "Live calls"):
 * the CEL side of the collector makes the provisional card while 101's phone rings (capture 01,
 * made new with freshCapture so its rows are fresh), 101 saves the card through `PUT /calls/{id}`
 * while the call is still going on, then the rest of the call's CEL and its CDR arrive and the
 * collector writes the call: the same card (same id, one row), now final, still carries what 101
 * saved — in PostgreSQL and in ClickHouse — and a save based on an older version is refused (409)
 * instead of overwriting the newer card.
 */

const S01 = '01-inbound-answered-caller-hangup';
const S10 = '10-attended-transfer-refer-replaces';

let kit: ApiTestKit;
let op101: string;
let op102: string;
beforeAll(async () => {
  kit = await openApiTestKit();
  op101 = (await kit.user({ login: 'card-op101', role: 'operator', endpoint: '101' })).token;
  op102 = (await kit.user({ login: 'card-op102', role: 'operator', endpoint: '102' })).token;
});

/** The collector with its CEL-side ringing (no ARI), and a replay of some of a capture's rows. */
function liveCollector(capture: ReturnType<typeof readCapture>) {
  const server = kit.stores.config.servers[0]!;
  const celRinging = new CelRinging(new ProvisionalCards(kit.stores.postgres.pool));
  const collector = kit.stores.collector({ celRinging });
  const replay = async (cel: typeof capture.cel, cdr: typeof capture.cdr = []) => {
    await replayCapture(kit.stores.postgres.pool, server, { ...capture, cel, cdr }, { timing: 'fast' });
    await collector.cycle();
    await celRinging.idle();
  };
  return { collector, replay };
}

const put = (id: number, token: string, body: Record<string, unknown>) =>
  kit.request(`/calls/${id}`, { method: 'PUT', token, json: body });
afterAll(async () => {
  await kit?.dispose();
});

async function waitUntil(check: () => Promise<boolean>, what: string, timeoutMs = 10_000) {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

interface Card {
  id: number;
  version: number;
  live: boolean;
  status: string;
  operator_endpoint: string | null;
  purpose_id: number | null;
  category_id: number | null;
  notes: string | null;
  needs_callback: boolean;
  tags: { id: number; name: string }[];
  card_complete: boolean;
}

const getCard = async (id: number): Promise<Card> => {
  const res = await kit.request(`/calls/${id}`, { token: op101 });
  expect(res.status).toBe(200);
  return (await res.json()) as Card;
};

const firstId = async (table: 'app.call_purposes' | 'app.call_categories') =>
  (
    await kit.stores.postgres.db
      .selectFrom(table)
      .select('id')
      .where('deleted_at', 'is', null)
      .orderBy('id')
      .executeTakeFirstOrThrow()
  ).id;

describe('the card of a call in progress, without ARI', () => {
  it('is saved during the call and kept, once and unchanged, when the call is written from its CEL', async () => {
    const server = kit.stores.config.servers[0]!;
    const capture = freshCapture(readCapture(join(SCENARIOS_DIR, S01)), Date.now(), server.timeZone);
    const linkedid = capture.cel[0]!.linkedid!;
    const { collector, replay } = liveCollector(capture);

    // The call up to 101 answering: the collector's CEL side made the provisional card.
    const answer = capture.cel.findIndex(
      (r) => r.eventtype === 'ANSWER' && (r.channame ?? '').startsWith('PJSIP/101-'),
    );
    expect(answer).toBeGreaterThan(0);
    await replay(capture.cel.slice(0, answer + 1));
    const cardRow = () =>
      kit.stores.postgres.db
        .selectFrom('app.calls')
        .select(['id', 'status', 'reconciler_version'])
        .where('linkedid', '=', linkedid)
        .executeTakeFirst();
    await waitUntil(async () => (await cardRow())?.status === 'answered', 'the live card answered by 101');
    const id = Number((await cardRow())!.id);
    const live = await getCard(id);
    expect(live).toMatchObject({ live: true, version: 0, status: 'answered', operator_endpoint: '101' });

    // 101 fills in and completes the card while still talking.
    const edit = {
      purpose_id: await firstId('app.call_purposes'),
      category_id: await firstId('app.call_categories'),
      // The seed has no tags (docs: seed 000 lists purposes and categories only): add one.
      tag_ids: [
        (
          await kit.stores.postgres.db
            .insertInto('app.call_tags')
            .values({ name: 'Повторный' })
            .returning('id')
            .executeTakeFirstOrThrow()
        ).id,
      ],
      notes: 'Записан к терапевту на 25.11, 10:00',
      needs_callback: true,
      complete: true,
    };
    const saved = await kit.request(`/calls/${id}`, {
      method: 'PUT',
      token: op101,
      json: { version: live.version, ...edit },
    });
    expect(saved.status).toBe(200);
    const savedCard = (await saved.json()) as Card;
    expect(savedCard).toMatchObject({ live: true, version: 1, card_complete: true });

    // The rest of the call and its CDR: the collector writes the call onto the same card.
    await replay(capture.cel.slice(answer + 1), capture.cdr);
    await collector.catchUp();
    const final = await getCard(id);
    const { complete: _complete, tag_ids: tagIds, ...fields } = edit;
    expect(final).toMatchObject({
      id,
      live: false,
      status: 'answered',
      operator_endpoint: '101',
      card_complete: true,
      ...fields,
    });
    expect(final.tags.map((t) => t.id)).toEqual(tagIds);
    expect(final.version).toBeGreaterThan(savedCard.version);
    // One card for the call, its tag once.
    const rows = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM app.calls WHERE linkedid = ${linkedid}`.execute(kit.stores.postgres.db);
    expect(rows.rows[0]!.n).toBe(1);
    const links = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM app.call_tag_links WHERE call_id = ${id}`.execute(
      kit.stores.postgres.db,
    );
    expect(links.rows[0]!.n).toBe(1);

    // ClickHouse has the final call with the card (the provisional one never became a fact).
    const facts = await kit.stores.clickhouse.query({
      query: `SELECT reconciler_version, status, card_completed, needs_callback
              FROM call_facts FINAL WHERE linkedid = {linkedid:String} AND is_deleted = 0`,
      query_params: { linkedid },
      format: 'JSONEachRow',
    });
    const factRows = (await facts.json()) as Record<string, unknown>[];
    expect(factRows).toHaveLength(1);
    expect(factRows[0]).toMatchObject({ status: 'answered', card_completed: 1, needs_callback: 1 });
    expect(factRows[0]!.reconciler_version).not.toBe('provisional');

    // A save based on the provisional version is refused with the current card, never written
    // over it (the web app re-applies it on top when only the derived columns moved).
    const stale = await kit.request(`/calls/${id}`, {
      method: 'PUT',
      token: op101,
      json: { version: savedCard.version, notes: 'старая правка' },
    });
    expect(stale.status).toBe(409);
    expect(((await stale.json()) as { details: { card: Card } }).details.card).toMatchObject({
      version: final.version,
      notes: edit.notes,
    });
    expect((await getCard(id)).notes).toBe(edit.notes);
  });

  it("an attended transfer merges two live cards into one call: both operators' typing is kept (capture 10)", async () => {
    const server = kit.stores.config.servers[0]!;
    const capture = freshCapture(readCapture(join(SCENARIOS_DIR, S10)), Date.now(), server.timeZone);
    const queueCall = capture.cel[0]!.linkedid!;
    const { collector, replay } = liveCollector(capture);
    const transfer = capture.cel.findIndex(
      (r) => r.eventtype === 'ATTENDEDTRANSFER' && (r.channame ?? '').startsWith('PJSIP/101-'),
    );
    expect(transfer).toBeGreaterThan(0);
    // Up to the transfer: 101's card of the queue call, 102's of the consultation call.
    await replay(capture.cel.slice(0, transfer));
    const live = await sql<{ id: number; linkedid: string }>`
      SELECT id::int, linkedid FROM app.calls
      WHERE reconciler_version = 'provisional' AND linkedid = ANY(${capture.cel.map((r) => r.linkedid!)})
      ORDER BY id`.execute(kit.stores.postgres.db);
    expect(live.rows).toHaveLength(2);
    const main = live.rows.find((r) => r.linkedid === queueCall)!;
    const consult = live.rows.find((r) => r.linkedid !== queueCall)!;
    const tag = (
      await kit.stores.postgres.db
        .insertInto('app.call_tags')
        .values({ name: 'Перевод' })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
    const purpose = await firstId('app.call_purposes');
    const category = await firstId('app.call_categories');
    expect(
      (await put(main.id, op101, { version: 0, purpose_id: purpose, notes: 'Клиент просит бухгалтерию' }))
        .status,
    ).toBe(200);
    expect(
      (
        await put(consult.id, op102, {
          version: 0,
          category_id: category,
          notes: 'Принял перевод от 101',
          needs_callback: true,
          tag_ids: [tag],
        })
      ).status,
    ).toBe(200);

    await replay(capture.cel.slice(transfer), capture.cdr);
    await collector.catchUp();
    const rows = await sql<{ id: number }>`
      SELECT id::int FROM app.calls WHERE linkedid = ANY(${[main.linkedid, consult.linkedid]})`.execute(
      kit.stores.postgres.db,
    );
    expect(rows.rows).toEqual([{ id: main.id }]);
    const final = await getCard(main.id);
    expect(final).toMatchObject({
      live: false,
      purpose_id: purpose,
      category_id: category,
      notes: 'Клиент просит бухгалтерию\n\nПринял перевод от 101',
      needs_callback: true,
    });
    expect(final.tags.map((t) => t.id)).toEqual([tag]);
  });
});
