import type pg from 'pg';
import pgListen, { type Options, type Subscriber } from 'pg-listen';

// pg-listen is CommonJS (module.exports = the function); its typings describe an ES default.
type CreateSubscriber = (connectionConfig?: pg.ClientConfig, options?: Options) => Subscriber;
const createSubscriber = pgListen as unknown as CreateSubscriber;

/**
 * Wakes the collector when Asterisk inserts rows (the NOTIFY trigger of sql/asterisk/cel-cdr.sql).
 * pg-listen needs its own connection and loses notifications while disconnected, so every
 * (re)connection also wakes the collector, which re-reads from its watermark; polling stays the
 * backstop. When pg-listen gives up, a new subscriber is made after a pause.
 */
export interface RowListener {
  close(): Promise<void>;
}

/**
 * The NOTIFY channel the statement-level trigger on `cel`/`cdr` raises (sql/asterisk/cel-cdr.sql);
 * its payload is `schema.table`.
 */
export const ASTERISK_ROWS_CHANNEL = 'asterisk_rows';

/**
 * Starts listening on {@link ASTERISK_ROWS_CHANNEL} with its own connection and calls `wake` on
 * every notification and every (re)connection; errors are logged and a new listener is made after
 * 5 s (polling stays the backstop). Resolves once the first connection is made; `close()` stops
 * it.
 */
export async function listenForRows(
  connectionString: string,
  wake: () => void,
  log: (line: string) => void,
): Promise<RowListener> {
  let subscriber: Subscriber | null = null;
  let closed = false;
  let retry: NodeJS.Timeout | null = null;

  let quiet = false;
  const retryLater = () => {
    if (closed) return;
    if (retry) clearTimeout(retry);
    retry = setTimeout(() => {
      void connect().catch(() => retryLater());
    }, 5000);
    retry.unref();
  };
  const connect = async (): Promise<void> => {
    // Payloads are plain `schema.table` text, not JSON (pg-listen parses JSON by default).
    const current = createSubscriber(
      { connectionString },
      { retryLimit: 20, retryInterval: 1000, parse: (payload) => payload },
    );
    subscriber = current;
    current.notifications.on(ASTERISK_ROWS_CHANNEL, () => wake());
    current.events.on('connected', () => {
      quiet = false;
      wake();
    });
    current.events.on('reconnect', (attempt: number) => {
      if (attempt === 1 && !quiet) log('listener: connection lost, reconnecting (polling continues)');
    });
    current.events.on('error', (error: Error) => {
      // Logged once per outage: PostgreSQL being down is reported by the collector's health.
      if (!quiet) log(`listener: ${error.message}; polling continues, a new listener every 5 s`);
      quiet = true;
      void current.close().catch(() => {});
      retryLater();
    });
    await current.connect();
    await current.listenTo(ASTERISK_ROWS_CHANNEL);
    wake();
  };

  await connect();
  return {
    async close() {
      closed = true;
      if (retry) clearTimeout(retry);
      await subscriber?.close().catch(() => {});
    },
  };
}
