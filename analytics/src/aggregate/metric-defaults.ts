/**
 * The metric thresholds' defaults, defined once (docs/metrics.md#short-abandons,
 * docs/metrics.md#service-level) for every place that computes or shows them: the browser's
 * reports and the server's aggregation (`QueueTally`, `thresholdsByCode`), the rollup SQL (bound
 * as query parameters, `analytics/src/clickhouse/report-queries.ts`), the API's `sl_sec` default,
 * the main job's console summary, and the queries of sql/ANALYSTS.md (checked by
 * cli/test/analyst-queries.test.ts). Browser-safe: constants only.
 *
 * The per-queue T lives in `app.queues.service_level_sec`, whose column DEFAULT (written in
 * sql/postgres/001_core.sql) is checked equal to {@link SERVICE_LEVEL_DEFAULT_SEC} by
 * platform/test/call-schema.test.ts.
 */

/** Service-level threshold T, seconds from entering the first queue to the answer (`≤ T`). */
export const SERVICE_LEVEL_DEFAULT_SEC = 20;

/** An abandoned call whose queue wait is under this many seconds is a short abandon (`< 5`). */
export const SHORT_ABANDON_SEC = 5;
