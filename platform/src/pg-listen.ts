import type pg from 'pg';
import pgListen, { type Options, type Subscriber } from 'pg-listen';

// pg-listen is CommonJS (module.exports = the function); its typings describe an ES default.
type CreateSubscriber = (connectionConfig?: pg.ClientConfig, options?: Options) => Subscriber;
const createSubscriber = pgListen as unknown as CreateSubscriber;

/** An open LISTEN; `close()` stops it and any pending reconnection. */
export interface ChannelListener {
  close(): Promise<void>;
}

/**
 * LISTEN `channel` on a dedicated connection (pg-listen: 20 tries, 1 s apart, payloads passed on
 * unparsed) and keep it listening (the API's live sources, api/src/live/call-change-source.ts and
 * call-live-source.ts).
 * pg-listen loses notifications while disconnected, so every reconnection — its own, or a new
 * subscriber made 5 s after it gave up (logged as `live: <name>: <message>; new listener in 5 s`) —
 * calls `onReconnected` (the sources journal a `refetch`). Resolves once the first LISTEN is in
 * place; rejects if that first connection fails.
 */
export async function listenToChannel(options: {
  connectionString: string;
  channel: string;
  /** How log lines name the listener, e.g. `call_live listener`. */
  name: string;
  onNotification: (payload: unknown) => void;
  onReconnected: () => void;
  log: (line: string) => void;
}): Promise<ChannelListener> {
  const { channel, name, log } = options;
  let subscriber: Subscriber | null = null;
  let closed = false;
  let retry: NodeJS.Timeout | null = null;

  const reconnectLater = () => {
    if (closed) return;
    retry = setTimeout(() => {
      void connect(false).catch((error: Error) => {
        log(`live: ${name}: ${error.message}; new listener in 5 s`);
        reconnectLater();
      });
    }, 5000);
    retry.unref();
  };

  const connect = async (first: boolean): Promise<void> => {
    const current = createSubscriber(
      { connectionString: options.connectionString },
      { retryLimit: 20, retryInterval: 1000, parse: (payload) => payload },
    );
    subscriber = current;
    current.notifications.on(channel, options.onNotification);
    current.events.on('error', (error: Error) => {
      log(`live: ${name}: ${error.message}; new listener in 5 s`);
      void current.close().catch(() => {});
      reconnectLater();
    });
    await current.connect();
    await current.listenTo(channel);
    // pg-listen emits `connected` again after re-LISTENing on a new connection.
    current.events.on('connected', options.onReconnected);
    if (!first) options.onReconnected();
  };

  await connect(true);
  return {
    async close() {
      closed = true;
      if (retry) clearTimeout(retry);
      await subscriber?.close().catch(() => {});
    },
  };
}
