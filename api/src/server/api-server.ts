import { serve } from '@hono/node-server';
import { type ApiDeps, createApp } from '../app.ts';

/**
 * The API on a TCP port (@hono/node-server). Resolves once listening; `close()` stops accepting
 * and waits for open requests. Throws when the port cannot be bound (e.g. EADDRINUSE).
 */
export interface RunningApi {
  url: string;
  close(): Promise<void>;
}

export function startApiServer(deps: ApiDeps, port: number, hostname = '0.0.0.0'): Promise<RunningApi> {
  const app = createApp(deps);
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: app.fetch, port, hostname }, (info) => {
      resolve({
        url: `http://${hostname === '0.0.0.0' ? '127.0.0.1' : hostname}:${info.port}`,
        close: () => new Promise<void>((done) => server.close(() => done())),
      });
    });
    server.once('error', reject);
  });
}
