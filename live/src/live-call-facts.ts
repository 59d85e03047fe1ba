import type { AriCallerId } from '@callcenter/asterisk/ari';
import { blankToNull } from './ari-channel-fields.ts';
import type { LiveDirection } from './live-notification.ts';

/** The call-level facts a screen-pop shows (the live card's first values). */
export interface LiveCallFacts {
  linkedid: string;
  direction: LiveDirection;
  callerNumber: string | null;
  did: string | null;
  queue: string | null;
  /** ISO 8601 UTC. */
  startedAt: string;
}

/** What {@link callFactsOf} reads of a tracked channel. */
export interface FactsSource {
  linkedid: string;
  /** Operator endpoint, or null for any other channel. */
  endpoint: string | null;
  caller: AriCallerId;
  connected: AriCallerId;
  /** ISO 8601 UTC of the channel's creation, if known. */
  createdAt: string | null;
  /** The dialplan exten at creation (the DID of an inbound caller). */
  createdExten: string | null;
  queue: string | null;
}

/** A DID: digits (3 to 20, an optional leading +), not an extension name such as `s`. */
const DIGITS = /^\+?[0-9]{3,20}$/;

/**
 * The call's facts for the channel that rings (`ringing`), from the call's first channel `root`
 * (the one whose id is the linkedid) when it is tracked, else from what the ringing channel knows
 * (its connected line names the caller). Direction: internal when the root is an operator's
 * phone, else inbound. `startedAt` falls back to `at`, then to the epoch (ISO 8601 UTC).
 */
export function callFactsOf(
  ringing: FactsSource,
  root: FactsSource | undefined,
  at: string | null,
): LiveCallFacts {
  const rootEndpoint = root ? root.endpoint : null;
  const direction: LiveDirection = root ? (rootEndpoint ? 'internal' : 'inbound') : 'inbound';
  const callerNumber = root
    ? blankToNull(root.caller.number)
    : (blankToNull(ringing.connected.number) ?? blankToNull(ringing.caller.number));
  const did =
    direction === 'inbound' && root?.createdExten && DIGITS.test(root.createdExten)
      ? root.createdExten
      : null;
  return {
    linkedid: ringing.linkedid,
    direction,
    callerNumber,
    did,
    queue: ringing.queue ?? root?.queue ?? null,
    startedAt: root?.createdAt ?? ringing.createdAt ?? at ?? new Date(0).toISOString(),
  };
}
