import { loadOperators } from '@callcenter/ingest/operators';
import { type CdrRow, type CelRow, type Decision, reconcile } from '@callcenter/ingest/reconcile';
import { readCallRows } from '@callcenter/ingest/table-reader';
import { readWatermark } from '@callcenter/ingest/watermarks';
import type { ApiDeps } from '../../api-deps.ts';
import type { AuthUser } from '../../auth/auth-user.ts';
import { getCallCard } from './call-repository.ts';
import type { CallCard, CallExplanation, ExplainCdrRow, ExplainCelRow } from './call-schemas.ts';

/**
 * `GET /calls/:id/explain`: the card, the CEL and CDR rows it was derived from, and the decisions
 * of the reconciler (docs/reconciliation.md#explanation). The rows are read from the call's
 * server schema (`asterisk.cel`/`asterisk.cdr` by every linkedid of the call, up to the collector's
 * watermarks: the rows the stored call was derived from) with the collector's own reader, and the
 * decisions come from re-running the pure reconciler with `explain` on them — the API decides
 * nothing itself. Scope: the card's (getCallCard), so a call outside it answers null (404).
 */

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

function celOut(row: CelRow): ExplainCelRow {
  return {
    id: row.id,
    event_type: row.eventType,
    event_time: new Date(row.eventTime).toISOString(),
    channel: row.chanName,
    uniqueid: row.uniqueId,
    linkedid: row.linkedId,
    cid_num: row.cidNum,
    exten: row.exten,
    context: row.context,
    app_name: row.appName,
    app_data: row.appData,
    peer: row.peer,
    extra: row.extra,
  };
}

function cdrOut(row: CdrRow): ExplainCdrRow {
  return {
    id: row.id,
    start: iso(row.start),
    answer: iso(row.answer),
    end: iso(row.end),
    src: row.src,
    dst: row.dst,
    channel: row.channel,
    dstchannel: row.dstChannel,
    lastapp: row.lastApp,
    disposition: row.disposition,
    billsec: row.billsec,
    uniqueid: row.uniqueId,
    linkedid: row.linkedId,
  };
}

/** The explanation of call `id` as `user` may see it, or null when it is not in their scope. */
export async function explainCall(
  deps: ApiDeps,
  user: AuthUser,
  id: number,
): Promise<CallExplanation | null> {
  const card: CallCard | null = await getCallCard(deps.db, user, id);
  if (!card) return null;
  const server = await deps.db
    .selectFrom('app.asterisk_servers')
    .select(['id', 'cel_schema', 'time_zone'])
    .where('id', '=', card.server_id)
    .executeTakeFirst();
  const merged = await deps.db
    .selectFrom('app.call_linkedids')
    .select('linkedid')
    .where('call_id', '=', id)
    .execute();
  const linkedIds = [...new Set([...card.linkedids, ...merged.map((m) => m.linkedid)])];
  if (!server || linkedIds.length === 0) return { call: card, cel: [], cdr: [], decisions: [] };

  const upTo = {
    cel: await readWatermark(deps.db, 'cel', server.id),
    cdr: await readWatermark(deps.db, 'cdr', server.id),
  };
  const client = await deps.pool.connect();
  let rows: { cel: CelRow[]; cdr: CdrRow[] };
  try {
    rows = await readCallRows(
      client,
      { id: server.id, schema: server.cel_schema, timeZone: server.time_zone },
      linkedIds,
      upTo,
    );
  } finally {
    client.release();
  }
  const operators = await loadOperators(deps.db);
  // Stored calls are final: close every group as the re-derivation does (rederive-calls.ts).
  const result = reconcile(rows.cel, rows.cdr, {
    isOperator: operators.isOperator,
    now: Number.MAX_SAFE_INTEGER,
    explain: true,
  });
  const own = result.explanations?.find(
    (e) => e.call.linkedid === card.linkedid || e.call.linkedids.includes(card.linkedid),
  );
  const decisions: Decision[] = own?.decisions ?? [];
  return {
    call: card,
    cel: [...rows.cel].sort((a, b) => a.id - b.id).map(celOut),
    cdr: [...rows.cdr].sort((a, b) => a.id - b.id).map(cdrOut),
    decisions: decisions.map((d) => ({ ...d, value: d.value ?? null })),
  };
}
