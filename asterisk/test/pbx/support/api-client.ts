import { SseReader } from '@callcenter/api/testing/sse-reader';

/**
 * The lab's API as a user sees it: JSON GETs with a bearer token and the live SSE stream.
 */
export class LabApi {
  constructor(
    readonly baseUrl: string,
    readonly token: string,
  ) {}

  /** GET `path` as JSON; throws with the status and body on anything but 2xx. */
  async get<T>(path: string): Promise<T> {
    const res = await fetch(`${this.baseUrl}${path}`, { headers: { authorization: `Bearer ${this.token}` } });
    if (!res.ok) throw new Error(`GET ${path}: ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  }

  /** POST `path` with a JSON body; returns status and parsed body (no throw). */
  async post(path: string, body: unknown): Promise<{ status: number; body: unknown }> {
    const res = await fetch(`${this.baseUrl}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${this.token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // not JSON
    }
    return { status: res.status, body: parsed };
  }

  /** Opens GET /live/events (SSE) and waits for its `ready` event. */
  async liveEvents(): Promise<SseReader> {
    const res = await fetch(`${this.baseUrl}/live/events`, {
      headers: { authorization: `Bearer ${this.token}`, accept: 'text/event-stream' },
    });
    if (!res.ok) throw new Error(`GET /live/events: ${res.status} ${await res.text()}`);
    const reader = new SseReader(res);
    return reader;
  }
}

/** Polls `probe` every 250 ms until it returns a value (not undefined) or `timeoutMs` passes. */
export async function eventually<T>(
  what: string,
  timeoutMs: number,
  probe: () => Promise<T | undefined>,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline)
      throw new Error(
        `timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${String(last)}` : ''}`,
      );
    await new Promise((r) => setTimeout(r, 250));
  }
}

export type { SseReader };
