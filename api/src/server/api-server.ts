import type { Server } from 'node:http';
import { serve } from '@hono/node-server';
import { type ApiDeps, createApp } from '../app.ts';
import { WallboardService } from '../live/wallboard/wallboard-service.ts';
import { startReportMailer } from '../mail/report-mailer.ts';
import { AmiPresence, startAmiPresence } from '../presence/asterisk-presence.ts';
import { liveBusFor } from '../routes/live/live-routes.ts';

/**
 * The API on a TCP port (@hono/node-server), with its live event bus. Resolves once listening;
 * `close()` closes the bus (its LISTEN connection), cuts the open event streams and stops the
 * server. Rejects when the port cannot be bound (e.g. EADDRINUSE).
 */
export interface RunningApi {
  url: string;
  close(): Promise<void>;
}

/**
 * Starts the API on `hostname`:`port` with its live event bus and, when AMI_HOST is set, AMI presence
 * (see {@link RunningApi}).
 */
export function startApiServer(deps: ApiDeps, port: number, hostname = '0.0.0.0'): Promise<RunningApi> {
  const live = deps.live ?? liveBusFor(deps) ?? undefined;
  // Operator presence over AMI (QueuePause), when AMI_HOST is set: connects in the background.
  const ami = deps.config.ami ?? [];
  const asterisk =
    deps.asterisk !== undefined
      ? deps.asterisk
      : ami.length > 0
        ? startAmiPresence(ami, deps.db, deps.log)
        : null;
  // The wallboard reads AMI through the presence links (their QueueStatus re-reads and events).
  const wallboard =
    deps.wallboard ??
    new WallboardService({
      db: deps.db,
      links: asterisk instanceof AmiPresence ? [...asterisk.links.values()] : [],
      log: deps.log,
    });
  const app = createApp({ ...deps, live, asterisk, wallboard });
  // The scheduled report by e-mail, when REPORT_MAIL_CRON and SMTP_URL are set.
  const mailer = deps.config.reportMail ? startReportMailer(deps.db, deps.config.reportMail, deps.log) : null;
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: app.fetch, port, hostname }, (info) => {
      resolve({
        url: `http://${hostname === '0.0.0.0' ? '127.0.0.1' : hostname}:${info.port}`,
        async close() {
          mailer?.stop();
          await live?.close().catch(() => {});
          if (!deps.wallboard) wallboard.close();
          if (deps.asterisk === undefined) await asterisk?.close().catch(() => {});
          const http = server as Server;
          const closed = new Promise<void>((done) => http.close(() => done()));
          http.closeAllConnections?.();
          await closed;
        },
      });
    });
    server.once('error', reject);
  });
}
