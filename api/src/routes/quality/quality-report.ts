import { RECONCILER_VERSION } from '@callcenter/ingest/reconcile';
import type { Database } from '@callcenter/platform/database';
import type { z } from '@hono/zod-openapi';
import { type Kysely, sql } from 'kysely';
import type { QualityReportSchema } from './quality-schemas.ts';

/**
 * What `GET /quality` shows an admin about the collected data: rows the collector quarantined
 * (by source and reason, with the newest examples), calls it had to close by idle timeout (their
 * end never arrived), and how many stored calls each reconciler version derived — calls of an
 * older version are candidates for `POST /quality/rederive`.
 */

/** Newest examples shown per quarantine reason and for idle-timeout calls. */
export const EXAMPLES_PER_REASON = 3;
/** Newest idle-timeout calls listed. */
export const IDLE_EXAMPLES = 20;

/** `GET /quality` (the shape of quality-schemas.ts): quarantine, idle-timeout calls, reconciler versions. */
export type QualityReport = z.output<typeof QualityReportSchema>;
/** Quarantined items of one source and reason: count, newest (UTC ISO) and the newest examples. */
export type QuarantineReason = QualityReport['quarantine']['byReason'][number];
/** One quarantined row or group: id, server, source row id, linkedids, when (UTC ISO) and the raw data. */
export type QuarantineExample = QuarantineReason['examples'][number];

/** Builds the {@link QualityReport} from app.quarantine and app.calls (a few grouped queries). */
export async function qualityReport(db: Kysely<Database>): Promise<QualityReport> {
  const reasons = await sql<{
    source: 'cel' | 'cdr' | 'call';
    reason: string;
    count: string;
    newest_at: Date;
  }>`SELECT source, reason, count(*) AS count, max(created_at) AS newest_at
     FROM app.quarantine GROUP BY source, reason ORDER BY count(*) DESC, source, reason`.execute(db);
  const examples = await sql<{
    id: number;
    source: string;
    reason: string;
    server_id: string;
    source_id: number | null;
    linkedids: string[];
    created_at: Date;
    raw: unknown;
  }>`SELECT id, source, reason, server_id, source_id, linkedids, created_at, raw FROM (
       SELECT q.*, row_number() OVER (PARTITION BY source, reason ORDER BY created_at DESC, id DESC) AS n
       FROM app.quarantine q) ranked
     WHERE n <= ${EXAMPLES_PER_REASON} ORDER BY created_at DESC, id DESC`.execute(db);
  const byReason: QuarantineReason[] = reasons.rows.map((r) => ({
    source: r.source,
    reason: r.reason,
    count: Number(r.count),
    newestAt: r.newest_at.toISOString(),
    examples: examples.rows
      .filter((e) => e.source === r.source && e.reason === r.reason)
      .map((e) => ({
        id: Number(e.id),
        serverId: e.server_id,
        sourceId: e.source_id === null ? null : Number(e.source_id),
        linkedids: e.linkedids,
        createdAt: e.created_at.toISOString(),
        raw: e.raw,
      })),
  }));
  const bySource = new Map<string, number>();
  for (const r of byReason) bySource.set(r.source, (bySource.get(r.source) ?? 0) + r.count);

  const idle = await db
    .selectFrom('app.calls')
    .select([
      'id',
      'server_id',
      'linkedid',
      'started_at',
      'status',
      sql<string>`count(*) OVER ()`.as('total'),
    ])
    .where('closed_by', '=', 'idle_timeout')
    .orderBy('started_at', 'desc')
    .orderBy('id', 'desc')
    .limit(IDLE_EXAMPLES)
    .execute();

  const versions = await db
    .selectFrom('app.calls')
    .select(['reconciler_version', sql<string>`count(*)`.as('count')])
    .groupBy('reconciler_version')
    .orderBy('reconciler_version')
    .execute();

  return {
    quarantine: {
      total: byReason.reduce((sum, r) => sum + r.count, 0),
      bySource: [...bySource].map(([source, count]) => ({ source, count })),
      byReason,
    },
    idleTimeout: {
      count: idle[0] ? Number(idle[0].total) : 0,
      newest: idle.map((c) => ({
        id: Number(c.id),
        serverId: c.server_id,
        linkedid: c.linkedid,
        startedAt: c.started_at.toISOString(),
        status: c.status,
      })),
    },
    reconciler: {
      current: RECONCILER_VERSION,
      versions: versions.map((v) => ({
        version: v.reconciler_version,
        count: Number(v.count),
        current: v.reconciler_version === RECONCILER_VERSION,
      })),
      outdated: versions
        .filter((v) => v.reconciler_version !== RECONCILER_VERSION)
        .reduce((sum, v) => sum + Number(v.count), 0),
    },
  };
}
