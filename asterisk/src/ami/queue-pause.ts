import type { AmiClient } from './ami-client.ts';
import { AmiActionError } from './ami-errors.ts';

/**
 * AMI `QueuePause` (app_queue.c; docs.asterisk.org "AMI Actions/QueuePause", the same from 16 to
 * 22): `Interface` (tech/name, as the member is defined: `PJSIP/101`, or `Local/101@…` for Local
 * members), `Paused: true|false`, `Reason` (free text, written to queue_log and returned in the
 * `QueueMemberPause` event), and no `Queue` header: "If not specified, the member will be paused or
 * unpaused in all the queues it is a member of." Asterisk answers `Interface paused successfully`
 * / `Interface unpaused successfully`, or `Response: Error` with `Interface not found` when the
 * interface is a member of no queue.
 */

/** The headers of one QueuePause (the client adds ActionID). Reason only when pausing. */
export function queuePauseAction(
  memberInterface: string,
  paused: boolean,
  reason: string | null,
): Record<string, string> {
  const fields: Record<string, string> = {
    Action: 'QueuePause',
    Interface: memberInterface,
    Paused: paused ? 'true' : 'false',
  };
  if (paused && reason) fields.Reason = reason;
  return fields;
}

/** Outcome of pausing or unpausing one operator's queue memberships. */
export interface QueuePauseOutcome {
  /** True when Asterisk paused/unpaused at least one membership. */
  applied: boolean;
  /** Why nothing was applied (null when applied). */
  reason: string | null;
  /** The interfaces Asterisk accepted. */
  interfaces: string[];
}

/**
 * Sends QueuePause for each of an operator's member interfaces (usually one). An interface that is
 * a member of no queue (`Interface not found`) is not an error: nothing to pause there.
 * @throws AmiUnavailableError / AmiTimeoutError from the client; AmiActionError for any other
 *   `Response: Error` (e.g. the AMI user lacks the `agent` write permission).
 */
export async function applyQueuePause(
  client: AmiClient,
  interfaces: readonly string[],
  paused: boolean,
  reason: string | null,
): Promise<QueuePauseOutcome> {
  const accepted: string[] = [];
  const notFound: string[] = [];
  for (const memberInterface of interfaces) {
    try {
      await client.action(queuePauseAction(memberInterface, paused, reason));
      accepted.push(memberInterface);
    } catch (error) {
      if (error instanceof AmiActionError && /interface not found/i.test(error.message)) {
        notFound.push(memberInterface);
      } else {
        throw error;
      }
    }
  }
  if (accepted.length > 0) return { applied: true, reason: null, interfaces: accepted };
  return {
    applied: false,
    reason: `${notFound.join(', ')} ${notFound.length === 1 ? 'is' : 'are'} not a member of any queue in Asterisk`,
    interfaces: [],
  };
}
