import type pg from 'pg';
import type { Operators } from '../collector/operator-directory.ts';
import { reconcile } from '../reconcile/index.ts';
import type { CdrRow, CelRow, ReconcileResult } from '../reconcile/types.ts';
import { type WriteCallsResult, writeCalls } from '../writers/calls-writer.ts';
import { invalidateChangedCalls } from '../writers/stale-calls.ts';

/**
 * derive-and-write: CEL/CDR rows of one server → the pure reconciler → call cards in app.calls
 * (with their attempts, transfers, segments, holds) → the outbox the shipper sends to ClickHouse
 * as facts, all written in ONE transaction. The one path both for the collector's cycle
 * (collector/collector.ts) and for re-deriving stored calls (the API's `POST /quality/rederive`),
 * so a re-derived call is written exactly as the collector would write it. The writer writes only
 * derived columns: what people typed on a card is never touched.
 *
 * Rules of the derivation: docs/reconciliation.md.
 */

export interface DeriveAndWriteInput {
  /** The Asterisk server the rows come from (`ASTERISK_SERVERS` id). */
  serverId: string;
  cel: readonly CelRow[];
  cdr: readonly CdrRow[];
  /** Who is an operator (app.operators), and their ids for the attempts. */
  operators: Operators;
  /**
   * "Now" on the server's clock (UTC epoch ms) for idle finalisation; `Number.MAX_SAFE_INTEGER`
   * closes every group (re-derivation of stored, final calls); undefined keeps unfinished groups open.
   */
  now: number | undefined;
  /** Silence (seconds) after which an unfinished call is closed; default the reconciler's 4 hours. */
  idleTimeoutSec?: number;
  /**
   * Compare stored derived columns with the new derivation first and invalidate the hash of rows
   * changed behind the writer's back, so they are rewritten (writers/stale-calls.ts). Re-derivation.
   */
  recheckStored?: boolean;
  /** Called between the reconciler and the transaction (the collector's crash-test seam). */
  afterReconcile?: (reconciled: ReconcileResult) => void;
  /**
   * More work in the same transaction, after the calls are written (the collector: quarantine
   * and watermarks). With it the transaction always runs; without it, only when calls came out.
   */
  inTransaction?: (client: pg.PoolClient, reconciled: ReconcileResult) => Promise<void>;
}

/** What one derive-and-write did: the reconciler's result and the writer's counts. */
export interface DeriveAndWriteResult {
  /** The reconciler's output: final calls, rows still pending, groups it failed on. */
  reconciled: ReconcileResult;
  /** What the writer did; all zero when nothing was written. */
  written: WriteCallsResult;
}

/**
 * Runs derive-and-write on `client` (a pooled connection the caller owns and releases): BEGIN …
 * COMMIT around the writes, ROLLBACK and rethrow on any error (nothing of the batch is written;
 * the rows stay above the watermark). Throws what the writer or `inTransaction` throws.
 */
export async function deriveAndWrite(
  client: pg.PoolClient,
  input: DeriveAndWriteInput,
): Promise<DeriveAndWriteResult> {
  const reconciled = reconcile(input.cel, input.cdr, {
    isOperator: input.operators.isOperator,
    now: input.now,
    idleTimeoutSec: input.idleTimeoutSec,
  });
  input.afterReconcile?.(reconciled);
  if (reconciled.calls.length === 0 && !input.inTransaction) {
    return { reconciled, written: { inserted: 0, updated: 0, unchanged: 0, merged: 0, written: [] } };
  }
  await client.query('BEGIN');
  try {
    if (input.recheckStored) await invalidateChangedCalls(client, reconciled.calls);
    const written = await writeCalls(
      client,
      input.serverId,
      reconciled.calls,
      input.operators.idsOf(input.serverId),
    );
    await input.inTransaction?.(client, reconciled);
    await client.query('COMMIT');
    return { reconciled, written };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  }
}
