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

  const loop = (async () => {
    let failures = 0;
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
        failures = 0;
        options.onCycle?.(result);
        if (!result.caughtUp) wanted = true;
      } catch (error) {
        failures++;
        const backoff = Math.min(30_000, 500 * 2 ** Math.min(failures, 6));
        log(
          `collector cycle failed (${error instanceof Error ? error.message : String(error)}); retrying in ${backoff} ms`,
        );
        await new Promise((resolve) => setTimeout(resolve, backoff));
        wanted = true;
      }
    }
  })();

  return {
    wake,
    async stop() {
      stopped = true;
      wakeUp?.();
      await idleTask.stop();
      await listener?.close();
      await loop;
    },
  };
}
