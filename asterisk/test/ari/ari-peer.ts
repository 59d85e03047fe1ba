import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadScenario, SCENARIOS_DIR } from '@callcenter/ingest/testing/fixtures';
import { WebSocket, WebSocketServer } from 'ws';
import type { AriBridge, AriChannel, AriEvent } from '../../src/ari/ari-events.ts';

/** Asterisk 22.10.1's ARI API description (its rest-api/*.json), served as Asterisk serves it. */
const REST_API_DIR = new URL('../../../fixtures/asterisk/rest-api-22/', import.meta.url);

/**
 * A local peer that speaks ARI's protocol to the product's ARI client — the transport is local,
 * the events are the real captures (fixtures/asterisk/scenarios/NN/ari.jsonl):
 *
 * - `GET /ari/api-docs/*.json`: Asterisk 22's own API description (fixtures/asterisk/rest-api-22)
 *   with `basePath` pointing at the peer, as Asterisk rewrites it — what `ari-client` loads;
 *   `serveApiDocs(false)` answers 404 instead (res_ari not loaded);
 * - `GET /ari/events?app=…&subscribeAll=true` upgraded to a WebSocket (HTTP Basic auth or
 *   `api_key=user:password` checked, 401 otherwise), on which `send()` pushes captured events;
 * - the REST calls the product makes, answered from the state the events sent so far built (as
 *   Asterisk would): `GET /ari/channels`, `GET /ari/channels/{id}`, `GET /ari/bridges`,
 *   `GET /ari/channels/{id}/variable?variable=CHANNEL(linkedid)` (the truth from the scenario's CEL),
 *   `POST /ari/channels` (originate), hold/unhold, continue, hangup — every request recorded;
 * - `apply()` advances that state without sending (events that happen while the client is
 *   disconnected), `dropClients()` cuts the sockets, `respondWith()` forces an answer (e.g. 409).
 */

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  body: unknown;
}

/** The events of a scenario, optionally with every channel id rewritten (a "new" call). */
export function scenarioEvents(name: string, idPrefix = ''): AriEvent[] {
  return readFileSync(`${SCENARIOS_DIR}${name}/ari.jsonl`, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(idPrefix ? rewriteIds(line, idPrefix) : line) as AriEvent);
}

/** uniqueid → linkedid of its first CEL row (CHANNEL(linkedid) as Asterisk would answer). */
export function scenarioLinkedids(name: string, idPrefix = ''): Map<string, string> {
  const map = new Map<string, string>();
  for (const row of loadScenario(name).cel)
    if (!map.has(row.uniqueId)) map.set(idPrefix + row.uniqueId, idPrefix + row.linkedId);
  return map;
}

/** Channel ids (`1795234909.1`) prefixed with `prefix` wherever they appear as JSON strings. */
export function rewriteIds(text: string, prefix: string): string {
  return text.replace(/"(\d{10}\.\d+)"/g, `"${prefix}$1"`);
}

export class AriPeer {
  readonly requests: RecordedRequest[] = [];
  readonly channels = new Map<string, AriChannel>();
  readonly bridges = new Map<string, AriBridge>();
  linkedids = new Map<string, string>();
  private readonly http: Server;
  private readonly wss: WebSocketServer;
  private readonly forced: { method: string; path: RegExp; status: number; body: unknown }[] = [];
  private originated = 0;
  private apiDocs = true;
  connections = 0;

  private constructor(
    readonly username: string,
    readonly password: string,
  ) {
    this.wss = new WebSocketServer({ noServer: true });
    this.http = createServer((req, res) => {
      void this.rest(req, res);
    });
    this.http.on('upgrade', (req, socket, head) => {
      const url = new URL(req.url ?? '/', 'http://peer');
      if (url.pathname !== '/ari/events' || !url.searchParams.get('app') || !this.authorised(req)) {
        socket.write('HTTP/1.1 401 Unauthorized\r\n\r\n');
        socket.destroy();
        return;
      }
      this.wss.handleUpgrade(req, socket, head, (ws) => {
        this.connections++;
        this.wss.emit('connection', ws, req);
      });
    });
  }

  static async start(username = 'callcenter', password = 'secret'): Promise<AriPeer> {
    const peer = new AriPeer(username, password);
    await new Promise<void>((resolve) => peer.http.listen(0, '127.0.0.1', resolve));
    return peer;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.http.address() as AddressInfo).port}`;
  }

  /** Connected event sockets. */
  get clients(): number {
    return [...this.wss.clients].filter((c) => c.readyState === WebSocket.OPEN).length;
  }

  /** Resolves when `n` sockets are connected. */
  async waitForClients(n = 1, timeoutMs = 10_000): Promise<void> {
    const until = Date.now() + timeoutMs;
    while (this.clients < n) {
      if (Date.now() > until) throw new Error(`no ARI client connected within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  /** Applies the events to the peer's state and sends them to every connected client. */
  send(events: readonly AriEvent[]): void {
    for (const event of events) {
      this.applyOne(event);
      const text = JSON.stringify(event);
      for (const client of this.wss.clients) if (client.readyState === WebSocket.OPEN) client.send(text);
    }
  }

  /** Applies events without sending them (they happen while nobody listens). */
  apply(events: readonly AriEvent[]): void {
    for (const event of events) this.applyOne(event);
  }

  /** Cuts every event socket (as an Asterisk restart or a network drop would). */
  dropClients(): void {
    for (const client of this.wss.clients) client.terminate();
  }

  /** Serve the API description (true, the default) or answer 404 for it (res_ari not loaded). */
  serveApiDocs(serve: boolean): void {
    this.apiDocs = serve;
  }

  /** Forces the answer to requests matching `method` and `path` (regex on the path). */
  respondWith(method: string, path: RegExp, status: number, body: unknown): void {
    this.forced.push({ method, path, status, body });
  }

  clearForced(): void {
    this.forced.length = 0;
  }

  async close(): Promise<void> {
    for (const client of this.wss.clients) client.terminate();
    this.wss.close();
    await new Promise<void>((resolve) => this.http.close(() => resolve()));
  }

  private authorised(req: IncomingMessage): boolean {
    const expected = `Basic ${Buffer.from(`${this.username}:${this.password}`).toString('base64')}`;
    if (req.headers.authorization === expected) return true;
    const key = new URL(req.url ?? '/', 'http://peer').searchParams.get('api_key');
    return key === `${this.username}:${this.password}`;
  }

  private applyOne(event: AriEvent): void {
    const channel = event.channel;
    switch (event.type) {
      case 'ChannelCreated':
      case 'ChannelStateChange':
      case 'ChannelConnectedLine':
      case 'ChannelDialplan':
        if (channel) this.channels.set(channel.id, { ...this.channels.get(channel.id), ...channel });
        break;
      case 'ChannelDestroyed':
        if (channel) this.channels.delete(channel.id);
        break;
      case 'BridgeCreated':
      case 'ChannelEnteredBridge':
      case 'ChannelLeftBridge':
        if (event.bridge) this.bridges.set(event.bridge.id, event.bridge);
        break;
      case 'BridgeDestroyed':
        if (event.bridge) this.bridges.delete(event.bridge.id);
        break;
    }
  }

  private async rest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://peer');
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString();
    const method = req.method ?? 'GET';
    const path = url.pathname;
    this.requests.push({
      method,
      path,
      query: Object.fromEntries(url.searchParams),
      body: text ? JSON.parse(text) : null,
    });
    const reply = (status: number, body?: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(body === undefined ? '' : JSON.stringify(body));
    };
    if (!this.authorised(req)) return reply(401, { message: 'Authentication required' });
    const doc = /^\/ari\/api-docs\/([a-zA-Z]+)\.json$/.exec(path);
    if (method === 'GET' && doc) {
      if (!this.apiDocs) return reply(404, { message: 'Not found' });
      let text: string;
      try {
        text = readFileSync(new URL(`${doc[1]}.json`, REST_API_DIR), 'utf8');
      } catch {
        return reply(404, { message: 'Not found' });
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(text.replace(/"basePath": "[^"]*"/, `"basePath": "${this.url}/ari"`));
      return;
    }
    const forced = this.forced.find((f) => f.method === method && f.path.test(path));
    if (forced) return reply(forced.status, forced.body);

    if (method === 'GET' && path === '/ari/channels') return reply(200, [...this.channels.values()]);
    if (method === 'GET' && path === '/ari/bridges') return reply(200, [...this.bridges.values()]);
    if (method === 'POST' && path === '/ari/channels') {
      const id = `9000000000.${++this.originated}`;
      const endpoint = url.searchParams.get('endpoint') ?? '';
      const channel: AriChannel = {
        id,
        name: `${endpoint}-${String(this.originated).padStart(8, '0')}`,
        state: 'Down',
      };
      this.channels.set(id, channel);
      return reply(200, channel);
    }
    const match = /^\/ari\/channels\/([^/]+)(?:\/(variable|hold|continue))?$/.exec(path);
    if (!match) return reply(404, { message: 'Resource not found' });
    const id = decodeURIComponent(match[1]!);
    const channel = this.channels.get(id);
    if (!channel) return reply(404, { message: 'Channel not found' });
    const action = match[2];
    if (!action && method === 'GET') return reply(200, channel);
    if (!action && method === 'DELETE') return reply(204);
    if (action === 'variable' && method === 'GET') {
      const variable = url.searchParams.get('variable');
      if (variable !== 'CHANNEL(linkedid)') return reply(404, { message: 'Provided variable was not found' });
      return reply(200, { value: this.linkedids.get(id) ?? id });
    }
    if (action === 'hold' && (method === 'POST' || method === 'DELETE')) return reply(204);
    if (action === 'continue' && method === 'POST') return reply(204);
    return reply(405, { message: 'Method not allowed' });
  }
}
