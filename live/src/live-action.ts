import type { LiveCallFacts } from './live-call-facts.ts';

/**
 * What the live-call tracker tells the ARI source to do (live-call-tracker.ts → ari-live-source.ts):
 * announce a ring with its call facts, or pass on an answer, hold, resume, transfer or hangup of an
 * operator's channel. Times are ISO 8601 UTC of the ARI event (null when it carried none).
 */

export type LiveAction =
  | {
      kind: 'ringing';
      channelId: string;
      endpoint: string;
      linkedidKnown: boolean;
      facts: LiveCallFacts;
      /** ISO 8601 UTC of the ARI event. */
      at: string | null;
    }
  | {
      kind: 'answered' | 'held' | 'unheld' | 'hangup' | 'transferred';
      channelId: string;
      endpoint: string;
      linkedid: string;
      linkedidKnown: boolean;
      queue: string | null;
      /** Other operators' endpoints the event concerns (the target of a transfer). */
      alsoEndpoints: string[];
      details: Record<string, unknown>;
      at: string | null;
    };

/** What the action builders read of a tracked operator channel. */
export interface ActionSource {
  id: string;
  /** The operator's endpoint (actions are built for operators' channels only). */
  endpoint: string | null;
  linkedid: string;
  linkedidKnown: boolean;
  queue: string | null;
}

/** The `ringing` action of an operator's channel, with the call facts a screen-pop shows. */
export function ringingAction(tracked: ActionSource, facts: LiveCallFacts, at: string | null): LiveAction {
  return {
    kind: 'ringing',
    channelId: tracked.id,
    endpoint: tracked.endpoint!,
    linkedidKnown: tracked.linkedidKnown,
    facts,
    at,
  };
}

/** An answer, hold, resume, transfer or hangup of an operator's channel; `details` as the kind needs. */
export function callAction(
  kind: 'answered' | 'held' | 'unheld' | 'hangup' | 'transferred',
  tracked: ActionSource,
  at: string | null,
  details: Record<string, unknown>,
): LiveAction {
  return {
    kind,
    channelId: tracked.id,
    endpoint: tracked.endpoint!,
    linkedid: tracked.linkedid,
    linkedidKnown: tracked.linkedidKnown,
    queue: tracked.queue,
    alsoEndpoints: [],
    details,
    at,
  };
}
