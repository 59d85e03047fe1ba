import { AmiActionError, AmiTimeoutError, AmiUnavailableError } from '@callcenter/asterisk/ami';
import type { Database } from '@callcenter/platform/database';
import type { Kysely, Transaction } from 'kysely';
import type { AuthUser } from '../auth/auth-user.ts';
import { ApiError, badRequest } from '../errors/api-error.ts';
import type { LiveBus } from '../live/live-bus.ts';
import { type AsteriskOutcome, type AsteriskPresence, pauseRequestOf } from './asterisk-presence.ts';
import { listReasons } from './presence-reasons.ts';
import {
  listPresence,
  lockOperator,
  type OperatorRef,
  openInterval,
  type PresenceItem,
  type PresenceState,
  recordTransition,
} from './presence-store.ts';
import { queuesOfOperator } from './queue-membership.ts';

/**
 * A presence change, end to end — the order is the consistency rule:
 *
 * 1. check the request (a pause needs a reason from app.presence_reasons; the other states none);
 * 2. in one transaction holding the operator's row lock (changes of one operator never interleave,
 *    and the AMI re-sync takes the same lock): apply to Asterisk FIRST (QueuePause), then record
 *    the interval, then commit. When AMI is configured but fails, nothing is recorded and the
 *    caller gets 503 (not connected) or 502 (refused, no answer): the recorded state never claims
 *    a pause Asterisk does not have. When AMI is not configured for the operator's server (the
 *    demo), the change is recorded with `asterisk: {applied: false, reason}`. When the commit fails
 *    after Asterisk applied the change, the previous state is re-applied (best effort; the next AMI
 *    re-login re-applies the recorded state in any case);
 * 3. after the commit, `presence.changed` on the live bus, scoped {serverId, endpoints: [endpoint],
 *    queues: the operator's queues} so the operator and the supervisors of those queues get it.
 */

/** What a caller asks for. */
export interface PresenceChange {
  state: PresenceState;
  /** Reason code; required with `paused`, refused otherwise. */
  reason?: string | null;
}

/** The new presence and what Asterisk made of it. */
export interface PresenceChangeResult extends PresenceItem {
  asterisk: AsteriskOutcome;
}

/**
 * What presence changes need: the database, the AMI side (null when AMI is not configured), the
 * live bus for `presence.changed` (null: none) and a log.
 */
export interface PresenceServiceDeps {
  db: Kysely<Database>;
  /** null: AMI not configured. */
  asterisk: AsteriskPresence | null;
  live: LiveBus | null;
  log?: (line: string) => void;
}

const NOT_CONFIGURED = 'AMI is not configured (AMI_HOST); the queue pause was not applied';

/**
 * Operators' presence changes in the order described above: Asterisk first (AMI QueuePause), then
 * the record, then the live event.
 */
export class PresenceService {
  constructor(private readonly deps: PresenceServiceDeps) {}

  /**
   * Changes `operator`'s presence on behalf of `actor` (already allowed to). Returns the new
   * presence (unchanged when the same state and reason are asked again; Asterisk is told again).
   * @throws ApiError 400 (reason missing, unknown or not allowed), 503 `asterisk_unavailable`,
   *   502 `asterisk_failed`.
   */
  async change(
    actor: AuthUser,
    operator: OperatorRef,
    request: PresenceChange,
  ): Promise<PresenceChangeResult> {
    const reasonCode = await this.checkReason(request);
    const pause = pauseRequestOf(request.state, reasonCode);
    let asterisk: AsteriskOutcome = { applied: false, reason: NOT_CONFIGURED };
    // Set inside the transaction; read when its commit fails.
    const before: { previous: { state: PresenceState; reason: string | null } | null } = { previous: null };
    let changed: boolean;
    try {
      changed = await this.deps.db.transaction().execute(async (trx) => {
        await lockOperator(trx, operator.id);
        const open = await openInterval(trx, operator.id);
        before.previous = open ? { state: open.state, reason: open.reason_code } : null;
        if (this.deps.asterisk) asterisk = await this.applyToAsterisk(operator, pause, trx);
        return recordTransition(trx, {
          operatorId: operator.id,
          state: request.state,
          reasonCode,
          setBy: { id: actor.id, login: actor.login },
          asterisk: { applied: asterisk.applied, note: asterisk.reason },
        });
      });
    } catch (error) {
      if (asterisk.applied && this.deps.asterisk) await this.restore(operator, before.previous);
      throw error;
    }
    const [item] = await listPresence(this.deps.db, { ...actor, role: 'admin' }, operator.id);
    if (!item) throw new ApiError(404, 'not_found', `no active operator with id ${operator.id}`);
    if (changed) await this.publish(item);
    return { ...item, asterisk };
  }

  private async checkReason(request: PresenceChange): Promise<string | null> {
    const reason = request.reason ?? null;
    if (request.state !== 'paused') {
      if (reason !== null) throw badRequest(`a reason goes only with the state paused, not ${request.state}`);
      return null;
    }
    const reasons = await listReasons(this.deps.db);
    if (reason === null) {
      throw badRequest('a pause needs a reason', { reasons: reasons.map((r) => r.code) });
    }
    if (!reasons.some((r) => r.code === reason)) {
      throw badRequest(`unknown pause reason "${reason}"`, { reasons: reasons.map((r) => r.code) });
    }
    return reason;
  }

  private async applyToAsterisk(
    operator: OperatorRef,
    pause: ReturnType<typeof pauseRequestOf>,
    trx: Transaction<Database>,
  ): Promise<AsteriskOutcome> {
    try {
      return await this.deps.asterisk!.apply(operator.serverId, operator.endpoint, pause, trx);
    } catch (error) {
      const message = (error as Error).message;
      if (error instanceof AmiUnavailableError) {
        throw new ApiError(503, 'asterisk_unavailable', `Asterisk is not reachable over AMI: ${message}`, {
          serverId: operator.serverId,
        });
      }
      if (error instanceof AmiTimeoutError || error instanceof AmiActionError) {
        throw new ApiError(502, 'asterisk_failed', `Asterisk did not apply the queue pause: ${message}`, {
          serverId: operator.serverId,
        });
      }
      throw error;
    }
  }

  /** After a failed commit: puts Asterisk back to the recorded (previous) state, best effort. */
  private async restore(
    operator: OperatorRef,
    previous: { state: PresenceState; reason: string | null } | null,
  ): Promise<void> {
    if (!previous) return;
    try {
      await this.deps.asterisk!.apply(
        operator.serverId,
        operator.endpoint,
        pauseRequestOf(previous.state, previous.reason),
      );
    } catch (error) {
      this.deps.log?.(
        `presence: operator ${operator.id}: Asterisk not restored after a failed commit (${(error as Error).message}); the next AMI login re-applies it`,
      );
    }
  }

  private async publish(item: PresenceItem): Promise<void> {
    if (!this.deps.live) return;
    const queues = await queuesOfOperator(this.deps.db, item.serverId, item.endpoint);
    this.deps.live.publish({
      type: 'presence.changed',
      scope: { serverId: item.serverId, endpoints: [item.endpoint], queues },
      data: { presence: item },
    });
  }
}
