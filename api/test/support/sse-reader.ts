/**
 * A test's reader of one `text/event-stream` response (GET /live/events): reads the body
 * incrementally, keeps every event (`event`, `id`, the `data` lines joined by newlines, unparsed)
 * and every comment line (`: heartbeat`), and waits for an event with a timeout.
 *
 * @example
 *   const reader = new SseReader(await app.request('/live/events', { headers }));
 *   await reader.waitFor((e) => e.event === 'ready', 'ready');
 *   await reader.close();
 */

export interface SseEvent {
  id?: string;
  event: string;
  data: string;
}

/** How long `waitFor` waits by default (milliseconds). */
export const SSE_WAIT_MS = 10_000;

export class SseReader {
  readonly events: SseEvent[] = [];
  readonly comments: string[] = [];
  private buffer = '';
  private readonly waiters = new Set<() => void>();
  private readonly reader: ReadableStreamDefaultReader<Uint8Array>;
  private done = false;

  constructor(response: Response) {
    this.reader = response.body!.getReader();
    void this.pump();
  }

  private async pump(): Promise<void> {
    const decoder = new TextDecoder();
    try {
      for (;;) {
        const { value, done } = await this.reader.read();
        if (done) break;
        this.buffer += decoder.decode(value, { stream: true });
        let end = this.buffer.indexOf('\n\n');
        while (end >= 0) {
          this.parse(this.buffer.slice(0, end));
          this.buffer = this.buffer.slice(end + 2);
          end = this.buffer.indexOf('\n\n');
        }
        for (const wake of this.waiters) wake();
      }
    } catch {
      // cancelled
    }
    this.done = true;
    for (const wake of this.waiters) wake();
  }

  private parse(block: string): void {
    const event: SseEvent = { event: 'message', data: '' };
    const data: string[] = [];
    let isComment = true;
    for (const line of block.split('\n')) {
      if (line.startsWith(':')) {
        this.comments.push(line.slice(1).trim());
        continue;
      }
      isComment = false;
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'event') event.event = value;
      else if (field === 'id') event.id = value;
      else if (field === 'data') data.push(value);
    }
    if (isComment) return;
    event.data = data.join('\n');
    this.events.push(event);
  }

  /** The events named `type`, in arrival order. */
  of(type: string): SseEvent[] {
    return this.events.filter((e) => e.event === type);
  }

  /**
   * Resolves with the first event matching `predicate` (already received or coming); rejects
   * naming `what` when the stream ends first or after `timeoutMs`.
   */
  waitFor(predicate: (event: SseEvent) => boolean, what: string, timeoutMs = SSE_WAIT_MS): Promise<SseEvent> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const found = this.events.find(predicate);
        if (found) {
          finish();
          resolve(found);
        } else if (this.done) {
          finish();
          reject(new Error(`stream ended before ${what}`));
        }
      };
      const timer = setTimeout(() => {
        finish();
        reject(new Error(`timed out waiting for ${what}; got ${JSON.stringify(this.events)}`));
      }, timeoutMs);
      const finish = () => {
        clearTimeout(timer);
        this.waiters.delete(check);
      };
      this.waiters.add(check);
      check();
    });
  }

  /** Stops reading (cancels the body). */
  async close(): Promise<void> {
    await this.reader.cancel().catch(() => {});
  }
}
