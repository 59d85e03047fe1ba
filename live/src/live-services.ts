import type { AppConfig } from '@callcenter/platform/config';
import type pg from 'pg';
import { AriLiveSource } from './ari-live-source.ts';
import { CelRinging } from './cel-ringing.ts';
import { ProvisionalCards } from './provisional-cards.ts';
import { startProvisionalSweeper } from './provisional-sweeper.ts';

/**
 * The main job's live side (README.md, "Live calls"), wired in one place: provisional ringing from CEL (always:
 * installations without ARI and the replay demo get screen-pops too), the sweeper of provisional
 * cards whose CEL never came, and — when ARI_URL is set — the ARI source of the first server,
 * connecting in the background (Asterisk may start later) and reconnecting for good.
 */
export interface LiveServices {
  /** Give to the Collector (`celRinging` option). */
  celRinging: CelRinging;
  ari: AriLiveSource | null;
  stop(): Promise<void>;
}

/**
 * Starts the live side for the main job: CEL ringing, the provisional-card sweeper and, with
 * `ARI_URL`, the ARI source of the first server (started without waiting for Asterisk). `stop()`
 * stops the ARI source and the sweeper, then waits for CEL ringing to settle.
 */
export async function startLiveServices(
  config: AppConfig,
  pool: pg.Pool,
  log: (line: string) => void,
): Promise<LiveServices> {
  const cards = new ProvisionalCards(pool);
  // Call states (answer, transfer, hangup) come from ARI for its server, from CEL for the others.
  const celRinging = new CelRinging(cards, { log, ariServerId: config.ari ? config.servers[0]!.id : null });
  const sweeper = startProvisionalSweeper({ pool, ttlSec: config.provisionalTtlSec, log });
  let ari: AriLiveSource | null = null;
  if (config.ari) {
    const server = config.servers[0]!;
    ari = new AriLiveSource({
      connection: { url: config.ari.url, username: config.ari.username, password: config.ari.password },
      app: config.ari.app,
      serverId: server.id,
      pool,
      log,
    });
    await ari.start(false);
    log(`ARI: live events of ${server.id} from ${config.ari.url} (application ${config.ari.app})`);
  }
  return {
    celRinging,
    ari,
    async stop() {
      await ari?.stop().catch(() => {});
      await sweeper.stop();
      await celRinging.idle();
    },
  };
}
