import { z } from '@hono/zod-openapi';
import { idNumber } from '../dictionaries/route-schemas.ts';

/**
 * The data-quality routes' schemas (`GET /quality`, `POST /quality/rederive`; quality-report.ts,
 * rederive-calls.ts): they validate the re-derivation body and describe both answers in
 * /openapi.json. Times are UTC ISO 8601.
 */

const Example = z.object({
  id: z.number().int(),
  serverId: z.string(),
  sourceId: z.number().int().nullable(),
  linkedids: z.array(z.string()),
  createdAt: z.string(),
  raw: z.unknown(),
});

/**
 * `GET /quality` (quality-report.ts): quarantine totals by source and reason with the newest
 * examples, calls closed by idle timeout, and stored calls per reconciler version (`outdated`:
 * derived by another version than the current one).
 */
export const QualityReportSchema = z
  .object({
    quarantine: z.object({
      total: z.number().int(),
      bySource: z.array(z.object({ source: z.string(), count: z.number().int() })),
      byReason: z.array(
        z.object({
          source: z.enum(['cel', 'cdr', 'call']),
          reason: z.string(),
          count: z.number().int(),
          newestAt: z.string(),
          examples: z.array(Example),
        }),
      ),
    }),
    idleTimeout: z.object({
      count: z.number().int(),
      newest: z.array(
        z.object({
          id: z.number().int(),
          serverId: z.string(),
          linkedid: z.string(),
          startedAt: z.string(),
          status: z.string(),
        }),
      ),
    }),
    reconciler: z.object({
      current: z.string(),
      versions: z.array(z.object({ version: z.string(), count: z.number().int(), current: z.boolean() })),
      outdated: z.number().int(),
    }),
  })
  .openapi('QualityReport');

/** Body: strict; absent `callIds` means every call of another reconciler version. */
export const RederiveBody = z
  .strictObject({
    callIds: z.array(idNumber).min(1).max(10_000).optional(),
  })
  .openapi('RederiveRequest');

/**
 * `POST /quality/rederive` (rederive-calls.ts): calls selected, unchanged, updated, inserted,
 * merged and not derived, how many changed in which derived column, and the groups the reconciler
 * failed on.
 */
export const RederiveResultSchema = z
  .object({
    reconcilerVersion: z.string(),
    selected: z.number().int(),
    unchanged: z.number().int(),
    updated: z.number().int(),
    inserted: z.number().int(),
    merged: z.number().int(),
    notDerived: z.number().int(),
    changed: z.number().int().openapi({
      description:
        're-derived calls whose stored derived columns (app.calls, the reconciler version aside) differ from before: what the new rules changed',
    }),
    changedFields: z
      .array(z.object({ field: z.string(), calls: z.number().int() }))
      .openapi({ description: 'per app.calls column: how many of the re-derived calls it changed in' }),
    failures: z.array(z.object({ linkedids: z.array(z.string()), reason: z.string() })),
  })
  .openapi('RederiveResult');
