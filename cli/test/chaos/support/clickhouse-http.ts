import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { createClickHouse } from '@callcenter/analytics/clickhouse';
import type { ClickHouseClient } from '@clickhouse/client';

/**
 * A ClickHouse server the chaos tests can take down and bring back: the ClickHouse HTTP interface
 * (the part @clickhouse/client speaks: `POST /?query_id=…&<settings>[&query=…]` with the SQL or
 * the insert's rows in the body, `GET /ping`) in front of a chDB data directory of the test
 * process. The main job reaches it through CLICKHOUSE_URL, exactly as it reaches a real server.
 * `down()` stops listening and drops every open connection (the job's keep-alive sockets reset,
 * new ones are refused); `up()` listens again on the same port, with the same data.
 */
export class ClickHouseHttp {
  readonly engine: ClickHouseClient;
  private server: Server | null = null;

  private constructor(
    readonly port: number,
    chdbPath: string,
  ) {
    this.engine = createClickHouse({ chdbPath });
  }

  /** A stopped endpoint on `port` over chDB in `chdbPath` (call `up()` to open it). */
  static on(port: number, chdbPath: string): ClickHouseHttp {
    return new ClickHouseHttp(port, chdbPath);
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get isUp(): boolean {
    return this.server !== null;
  }

  async up(): Promise<void> {
    if (this.server) return;
    const server = createServer((req, res) => {
      this.handle(req, res).catch((error: unknown) => {
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(error instanceof Error ? error.message : String(error));
      });
    });
    server.listen(this.port, '127.0.0.1');
    await once(server, 'listening');
    this.server = server;
  }

  async down(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = null;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
    await closed;
  }

  async close(): Promise<void> {
    await this.down();
    await this.engine.close();
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.url);
    if (url.pathname === '/ping') {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('Ok.\n');
      return;
    }
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const settings: Record<string, string> = {};
    const params: Record<string, string> = {};
    let queryId = '';
    let query: string | null = null;
    for (const [key, value] of url.searchParams) {
      if (key === 'query') query = value;
      else if (key === 'query_id') queryId = value;
      else if (key.startsWith('param_')) params[key.slice('param_'.length)] = value;
      else if (key !== 'database' && key !== 'session_id' && key !== 'role') settings[key] = value;
    }
    // As the server does: the `query` parameter is the statement's start, the body its rest (rows).
    const sqlText = query ?? body;
    const values = query !== null && body.length > 0 ? body : undefined;
    try {
      const result = await this.engine.exec({
        query: sqlText,
        clickhouse_settings: settings,
        ...(Object.keys(params).length > 0 ? { query_params: params } : {}),
        ...(values !== undefined ? { values: Readable.from([values]) } : {}),
      });
      res.writeHead(200, {
        'content-type': 'text/plain; charset=UTF-8',
        'x-clickhouse-query-id': queryId || result.query_id,
        'x-clickhouse-summary': JSON.stringify(result.summary ?? {}),
      });
      for await (const chunk of result.stream) res.write(chunk);
      res.end();
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const code = /^Code: (\d+)/.exec(message)?.[1] ?? '1000';
      res.writeHead(500, { 'content-type': 'text/plain', 'x-clickhouse-exception-code': code });
      res.end(message.startsWith('Code:') ? message : `Code: ${code}. DB::Exception: ${message}`);
    }
  }
}
