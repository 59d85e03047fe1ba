import {
  CALL_LIVE_CHANNEL,
  decodeLiveNotification,
  type LiveNotification,
} from '@callcenter/live/notification';
import { listenToChannel } from '@callcenter/platform/pg-listen';
import type pg from 'pg';
import { callerHistory } from './caller-history.ts';
import type { LiveSink, LiveSource } from './live-bus.ts';
import type { LiveEventInput } from './live-event.ts';

/**
 * The live journal's source of what happens on calls right now (README.md, "Live calls"): LISTEN `call_live`
 * (NOTIFYed by live/'s ARI source and CEL-side ringing, see
 * live/src/live-notification.ts) and publish on the bus, one notification at a time:
 *
 * - `call.ringing` → `{ call: {id, serverId, linkedid, channelId, endpoint, direction,
 *   callerNumber, did, queue, startedAt, provisional}, history: [...] }` where history is the
 *   caller's previous calls (live/caller-history.ts, a documented exception to the operator scope);
 * - `call.answered|held|unheld|transferred|hangup` → `{ call: {id, serverId, linkedid, channelId,
 *   endpoint}, ...details }`.
 *
 * Scope: the call's server, the operator's endpoint (plus a transfer target's), the call's queue.
 * Like the `call_changed` source, a reconnection journals a `refetch` (notifications sent while
 * disconnected are lost), and a listener that gave up is replaced after a pause.
 */

/** Turns one notification into its journal event (reads the caller's history for a ring). */
export async function liveEventOf(pool: pg.Pool, notification: LiveNotification): Promise<LiveEventInput> {
  const ref = notification.call;
  if (notification.type === 'call.ringing') {
    const call = notification.call;
    return {
      type: 'call.ringing',
      scope: { serverId: call.serverId, endpoints: [call.endpoint], queues: call.queue ? [call.queue] : [] },
      data: {
        call: {
          id: call.id,
          serverId: call.serverId,
          linkedid: call.linkedid,
          channelId: call.channelId,
          endpoint: call.endpoint,
          direction: call.direction,
          callerNumber: call.callerNumber,
          did: call.did,
          queue: call.queue,
          startedAt: call.startedAt,
          provisional: call.provisional,
        },
        history: await callerHistory(pool, call.serverId, call.callerNumber, call.id),
      },
    };
  }
  const also = Array.isArray(notification.details.alsoEndpoints)
    ? notification.details.alsoEndpoints.filter((e): e is string => typeof e === 'string')
    : [];
  const { alsoEndpoints: _also, ...details } = notification.details;
  return {
    type: notification.type,
    scope: {
      serverId: ref.serverId,
      endpoints: [ref.endpoint, ...also],
      queues: notification.queue ? [notification.queue] : [],
    },
    data: {
      call: {
        id: ref.id,
        serverId: ref.serverId,
        linkedid: ref.linkedid,
        channelId: ref.channelId,
        endpoint: ref.endpoint,
      },
      ...details,
    },
  };
}

/** The LiveSource for LiveBus: resolves once LISTEN `call_live` is in place. */
export function callLiveSource(options: {
  connectionString: string;
  pool: pg.Pool;
  log?: (line: string) => void;
  /** Called with each notification's `receivedAt` once its event is journaled (benchmarks). */
  onPublished?: (receivedAt: number) => void;
}): LiveSource {
  const log = options.log ?? (() => {});
  return async (sink: LiveSink) => {
    let closed = false;
    // In order per operator channel (its ring before its hangup), channels in parallel.
    const chains = new Map<string, Promise<void>>();

    const handle = (payload: unknown) => {
      const notification = decodeLiveNotification(String(payload ?? ''));
      if (!notification) {
        log('live: a call_live notification that is not understood was skipped');
        return;
      }
      const key = notification.call.channelId;
      const next = (chains.get(key) ?? Promise.resolve())
        .then(async () => {
          const event = await liveEventOf(options.pool, notification);
          if (closed) return;
          sink.publish(event);
          options.onPublished?.(notification.receivedAt);
        })
        .catch((error: Error) => log(`live: publishing ${notification.type} failed: ${error.message}`));
      chains.set(key, next);
      void next.then(() => {
        if (chains.get(key) === next) chains.delete(key);
      });
    };

    const listener = await listenToChannel({
      connectionString: options.connectionString,
      channel: CALL_LIVE_CHANNEL,
      name: 'call_live listener',
      onNotification: handle,
      onReconnected: () => sink.resync('the live call listener reconnected'),
      log,
    });
    return {
      async close() {
        closed = true;
        await listener.close();
        await Promise.all([...chains.values()]);
      },
    };
  };
}

/** Runs several sources as one (the bus takes one): starts them all, closes them all. */
export function combinedSources(...sources: LiveSource[]): LiveSource {
  return async (sink) => {
    const started = await Promise.allSettled(sources.map((source) => source(sink)));
    const handles = started.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
    const failed = started.find((r) => r.status === 'rejected');
    if (failed) {
      await Promise.all(handles.map((h) => h.close()));
      throw failed.reason;
    }
    return {
      async close() {
        await Promise.all(handles.map((h) => h.close()));
      },
    };
  };
}
