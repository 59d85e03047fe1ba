import { createConnection, type Socket } from 'node:net';
import pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import WebSocket from 'ws';

/**
 * What a capture records from a running lab server, in the formats of fixtures/asterisk/README.md:
 * ARI events (the JSON Asterisk sent, one per line), AMI events (`{Key: Value, …, _received}`),
 * and CEL/CDR tables as psql CSV (`COPY … TO STDOUT (FORMAT csv, HEADER)`: a header, every column,
 * an empty string as `""`, NULL as nothing).
 */

/** The AMI user a capture adds to manager.conf: read-only, every class. */
export const CAPTURE_AMI_USER = 'capture';
export const CAPTURE_AMI_SECRET = 'lab-capture-secret-0001';

/** The manager.conf section of {@link CAPTURE_AMI_USER} (appended to the rendered manager.conf). */
export const captureAmiSection = (): string =>
  `\n; added by the lab's capture: every event, read only\n[${CAPTURE_AMI_USER}]\nsecret = ${CAPTURE_AMI_SECRET}\ndeny = 0.0.0.0/0.0.0.0\npermit = 127.0.0.1/32\nread = all\nwrite = \n`;

/** A recorder of one stream; `lines()` are JSON Lines, `close()` stops it. */
export interface Recorder {
  lines(): string[];
  close(): Promise<void>;
}

/**
 * Opens ARI's event socket (`/ari/events?app=<app>&subscribeAll=true`, Basic auth) and keeps every
 * message as received. Resolves once connected; throws if the socket does not open in 10 s.
 */
export async function recordAri(options: {
  url: string;
  username: string;
  password: string;
  app: string;
}): Promise<Recorder> {
  const lines: string[] = [];
  const base = options.url.replace(/\/+$/, '').replace(/^http/, 'ws');
  const auth = Buffer.from(`${options.username}:${options.password}`).toString('base64');
  const socket = new WebSocket(
    `${base}/ari/events?app=${encodeURIComponent(options.app)}&subscribeAll=true`,
    { headers: { authorization: `Basic ${auth}` }, handshakeTimeout: 10_000 },
  );
  socket.on('message', (data) => lines.push(data.toString()));
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  return {
    lines: () => [...lines],
    async close() {
      if (socket.readyState === WebSocket.CLOSED) return;
      const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
      socket.close();
      await closed;
    },
  };
}

/**
 * Logs in to AMI (TCP, `Action: Login`) and keeps every event as a JSON object of its headers plus
 * `_received` (ISO time of arrival), like fixtures/asterisk/scenarios/*\/ami.jsonl. Throws when
 * the login is refused.
 */
export async function recordAmi(options: {
  host: string;
  port: number;
  username: string;
  secret: string;
}): Promise<Recorder> {
  const lines: string[] = [];
  const socket: Socket = createConnection({ host: options.host, port: options.port });
  let buffer = '';
  let loggedIn: ((ok: boolean, message: string) => void) | null = null;
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => {
    buffer += chunk;
    for (let end = buffer.indexOf('\r\n\r\n'); end >= 0; end = buffer.indexOf('\r\n\r\n')) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 4);
      const message: Record<string, string> = {};
      for (const line of block.split('\r\n')) {
        const colon = line.indexOf(':');
        if (colon > 0) message[line.slice(0, colon)] = line.slice(colon + 1).trim();
      }
      if (message.Event) lines.push(JSON.stringify({ ...message, _received: new Date().toISOString() }));
      else if (message.Response && loggedIn) loggedIn(message.Response === 'Success', message.Message ?? '');
    }
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    loggedIn = (ok, message) => {
      loggedIn = null;
      if (ok) resolve();
      else reject(new Error(`AMI login as ${options.username} refused: ${message}`));
    };
    socket.write(
      `Action: Login\r\nUsername: ${options.username}\r\nSecret: ${options.secret}\r\nEvents: on\r\n\r\n`,
    );
  });
  return {
    lines: () => [...lines],
    async close() {
      socket.end('Action: Logoff\r\n\r\n');
      await new Promise<void>((resolve) => {
        socket.once('close', () => resolve());
        setTimeout(() => {
          socket.destroy();
          resolve();
        }, 2000).unref();
      });
    },
  };
}

/** `SELECT * FROM <schema>.<table> ORDER BY id` as psql CSV (header, every column). */
export async function tableCsv(databaseUrl: string, schema: string, table: 'cel' | 'cdr'): Promise<string> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query("SET DateStyle = 'ISO, YMD'");
    const stream = client.query(
      copyTo(`COPY (SELECT * FROM "${schema}"."${table}" ORDER BY id) TO STDOUT (FORMAT csv, HEADER)`),
    );
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  } finally {
    await client.end();
  }
}
