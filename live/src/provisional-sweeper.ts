import type pg from 'pg';
import { PROVISIONAL } from './provisional-cards.ts';

/**
 * Provisional cards whose CEL never arrived within `ttlSec` (PROVISIONAL_TTL_SEC, default 6 h:
 * longer than the collector's idle timeout, after which even a call without LINKEDID_END is
 * written): a card nobody typed into is deleted (its linkedid and ringing attempts go with it); a
 * card with typed fields or tags is kept — what people typed is never lost — and marked
 * `closed_by = 'no_cel'` with the flag `no_cel`. Either way it was never in ClickHouse. If the CEL
 * shows up later after all, the collector inserts (deleted card) or updates (marked card) as usual.
 */

export interface SweepResult {
  deleted: number;
  marked: number;
}

/** Sweeps provisional cards older than `ttlSec` seconds whose CEL never came (see above). */
export async function sweepProvisionalCards(pool: pg.Pool, ttlSec: number): Promise<SweepResult> {
  const deleted = await pool.query(
    `DELETE FROM app.calls c
     WHERE c.reconciler_version = '${PROVISIONAL}' AND c.created_at < now() - make_interval(secs => $1)
       AND c.card_updated_at IS NULL
       AND NOT EXISTS (SELECT 1 FROM app.call_tag_links t WHERE t.call_id = c.id)`,
    [ttlSec],
  );
  const marked = await pool.query(
    `UPDATE app.calls c SET closed_by = 'no_cel', flags = array_append(c.flags, 'no_cel')
     WHERE c.reconciler_version = '${PROVISIONAL}' AND c.created_at < now() - make_interval(secs => $1)
       AND c.closed_by IS NULL`,
    [ttlSec],
  );
  return { deleted: deleted.rowCount ?? 0, marked: marked.rowCount ?? 0 };
}

/** Sweeps every `intervalMs` (default one minute) until stopped; failures are logged, never fatal. */
export function startProvisionalSweeper(options: {
  pool: pg.Pool;
  ttlSec: number;
  intervalMs?: number;
  log?: (line: string) => void;
}): { stop(): Promise<void> } {
  const log = options.log ?? (() => {});
  let running: Promise<void> | null = null;
  const tick = () => {
    if (running) return;
    running = sweepProvisionalCards(options.pool, options.ttlSec)
      .then((r) => {
        if (r.deleted || r.marked)
          log(
            `provisional cards without CEL after ${options.ttlSec} s: ${r.deleted} deleted, ${r.marked} kept and marked no_cel`,
          );
      })
      .catch((error: Error) => log(`provisional sweep failed: ${error.message}`))
      .finally(() => {
        running = null;
      });
  };
  const timer = setInterval(tick, options.intervalMs ?? 60_000);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
