import { type DependencyHealth, isConnectionError } from '@callcenter/platform/dependency-health';
import cron from 'node-cron';
import type { Collector, CycleResult } from './collector.ts';
import { listenForRows, type RowListener } from './row-listener.ts';

/**
 * Keeps a collector running: a cycle whenever Asterisk NOTIFYs new rows, every `pollIntervalMs`
 * as the backstop, and every minute from node-cron so silent calls reach their idle timeout.
 * Cycles never overlap; a failing cycle is logged and retried with backoff, never fatal.
 */
export interface RunnerOptions {
  collector: Collector;
  databaseUrl: string;
  pollIntervalMs: number;
  onCycle?: (result: CycleResult) => void;
  log: (line: string) => void;
  /**
   * With it, a cycle failing because PostgreSQL does not answer marks it down (logged once, by
   * name) instead of a line per retry; the next good cycle marks it up.
   */
  health?: DependencyHealth;
}

/** A running collector: `wake()` asks for a cycle now; `stop()` waits for the current cycle. */
export interface RunningCollector {
  /** Asks for a cycle as soon as possible. */
  wake(): void;
  stop(): Promise<void>;
}

/**
 * Starts the runner described above; resolves once it listens (if LISTEN fails, it logs
 * `listener unavailable (…); polling only` and polls). `stop()` ends the loop after its cycle.
 */
export async function runCollector(options: RunnerOptions): Promise<RunningCollector> {
  const { collector, log } = options;
  let stopped = false;
  let wakeUp: (() => void) | null = null;
  let wanted = true;
  const wake = () => {
    wanted = true;
    wakeUp?.();
  };
  const idleTask = cron.schedule('* * * * *', wake, { name: 'idle-finalisation', noOverlap: true });
  let listener: RowListener | null = null;
  try {
    listener = await listenForRows(options.databaseUrl, wake, log);
  } catch (error) {
    log(`listener unavailable (${error instanceof Error ? error.message : String(error)}); polling only`);
  }

  let sleeping: NodeJS.Timeout | null = null;
  const loop = (async () => {
    let failures = 0;
    let lastMessage = '';
    while (!stopped) {
      if (!wanted) {
        await new Promise<void>((resolve) => {
          wakeUp = resolve;
          setTimeout(resolve, options.pollIntervalMs);
        });
        wakeUp = null;
      }
      if (stopped) break;
      wanted = false;
      try {
        const result = await collector.cycle();
        if (failures > 0 && !options.health) log(`collector resumed after ${failures} failed cycles`);
        failures = 0;
        lastMessage = '';
        options.health?.up('postgres');
        options.onCycle?.(result);
        if (!result.caughtUp) wanted = true;
      } catch (error) {
        failures++;
        const backoff = Math.min(30_000, 500 * 2 ** Math.min(failures, 6));
        const message = error instanceof Error ? error.message : String(error);
        if (options.health && isConnectionError(error)) options.health.down('postgres', error);
        else if (message !== lastMessage)
          log(`collector cycle failed (${message}); retrying with backoff up to 30 s`);
        lastMessage = message;
        await new Promise<void>((resolve) => {
          sleeping = setTimeout(resolve, backoff);
          wakeUp = resolve;
        });
        wakeUp = null;
        wanted = true;
      }
    }
  })();

  return {
    wake,
    async stop() {
      stopped = true;
      if (sleeping) clearTimeout(sleeping);
      wakeUp?.();
      await idleTask.stop();
      await listener?.close();
      await loop;
    },
  };
}
