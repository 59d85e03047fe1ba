import { describe, expect, it } from 'vitest';
import { accessTokenExpiresAt, accessTokenExpiring } from '../access-token-expiry.ts';
import {
  type EventSourceLike,
  LiveConnection,
  type LiveMessage,
  liveEventsUrl,
  retryDelayMs,
} from '../live-connection.ts';

class FakeEventSource implements EventSourceLike {
  readonly handlers = new Map<string, ((event: MessageEvent<string>) => void)[]>();
  onerror: ((event: Event) => void) | null = null;
  closed = false;
  constructor(readonly url: string) {}
  addEventListener(type: string, listener: (event: MessageEvent<string>) => void): void {
    this.handlers.set(type, [...(this.handlers.get(type) ?? []), listener]);
  }
  close(): void {
    this.closed = true;
  }
  send(type: string, data: unknown, id = ''): void {
    for (const h of this.handlers.get(type) ?? [])
      h({ data: JSON.stringify(data), lastEventId: id } as MessageEvent<string>);
  }
  fail(): void {
    this.onerror?.(new Event('error'));
  }
}

function harness(tokens: (force: boolean) => string | null = () => 'tok') {
  const sources: FakeEventSource[] = [];
  const timers: { callback: () => void; ms: number; cleared: boolean }[] = [];
  const forced: boolean[] = [];
  const connection = new LiveConnection({
    createEventSource: (url) => {
      const source = new FakeEventSource(url);
      sources.push(source);
      return source;
    },
    accessToken: async (force) => {
      forced.push(force);
      return tokens(force);
    },
    setTimeout: (callback, ms) => {
      const timer = { callback, ms, cleared: false };
      timers.push(timer);
      return timer;
    },
    clearTimeout: (handle) => {
      (handle as { cleared: boolean }).cleared = true;
    },
  });
  const fire = async (ms: number) => {
    const timer = timers.find((t) => !t.cleared && t.ms === ms);
    if (!timer) throw new Error(`no pending ${ms} ms timer`);
    timer.cleared = true;
    timer.callback();
    await flush();
  };
  return { connection, sources, timers, forced, fire };
}

const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('liveEventsUrl / retryDelayMs', () => {
  it('puts the token and the resume id in the query', () => {
    expect(liveEventsUrl('/live/events', 'a.b.c', null)).toBe('/live/events?access_token=a.b.c');
    expect(liveEventsUrl('/live/events', 'x', '1700000000000042')).toBe(
      '/live/events?access_token=x&last_event_id=1700000000000042',
    );
  });
  it('backs off 1, 2, 4 … up to 30 s', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 20].map(retryDelayMs)).toEqual([
      1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000,
    ]);
  });
});

describe('accessTokenExpiring', () => {
  const jwt = (payload: object) =>
    `h.${btoa(JSON.stringify(payload)).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_')}.s`;
  it('reads exp (seconds) as milliseconds', () => {
    expect(accessTokenExpiresAt(jwt({ sub: '1', exp: 1_700_000_000 }))).toBe(1_700_000_000_000);
    expect(accessTokenExpiresAt('not-a-jwt')).toBeNull();
  });
  it('is true within the margin, or when unreadable', () => {
    const token = jwt({ exp: 1000 });
    expect(accessTokenExpiring(token, 900_000)).toBe(false);
    expect(accessTokenExpiring(token, 971_000)).toBe(true);
    expect(accessTokenExpiring('garbage', 0)).toBe(true);
  });
});

describe('LiveConnection', () => {
  it('opens with the first listener and passes events with their ids', async () => {
    const { connection, sources } = harness();
    const got: LiveMessage[] = [];
    connection.subscribe((m) => got.push(m));
    await flush();
    expect(sources).toHaveLength(1);
    expect(sources[0]!.url).toBe('/live/events?access_token=tok');
    expect(connection.status).toBe('connecting');
    sources[0]!.send('ready', { latest_id: 10 });
    expect(connection.status).toBe('open');
    sources[0]!.send('call.ringing', { id: 11, call: { id: 5 } }, '11');
    expect(got).toEqual([{ type: 'call.ringing', id: '11', data: { id: 11, call: { id: 5 } } }]);
    expect(connection.resumeId).toBe('11');
  });

  it('reopens after an error with the last id seen, after a growing delay', async () => {
    const { connection, sources, fire } = harness();
    connection.subscribe(() => {});
    await flush();
    sources[0]!.send('ready', { latest_id: 10 });
    sources[0]!.send('call.updated', {}, '12');
    sources[0]!.fail();
    expect(sources[0]!.closed).toBe(true);
    expect(connection.status).toBe('retrying');
    await fire(1000);
    expect(sources[1]!.url).toBe('/live/events?access_token=tok&last_event_id=12');
    sources[1]!.fail();
    await fire(2000);
    expect(sources).toHaveLength(3);
  });

  it('resumes from ready’s latest_id when no event came yet', async () => {
    const { connection, sources, fire } = harness();
    connection.subscribe(() => {});
    await flush();
    sources[0]!.send('ready', { latest_id: 1700000000000007 });
    sources[0]!.fail();
    await fire(1000);
    expect(sources[1]!.url).toContain('last_event_id=1700000000000007');
  });

  it('forces a token refresh after two refusals before ready', async () => {
    const { connection, sources, forced, fire } = harness();
    connection.subscribe(() => {});
    await flush();
    sources[0]!.fail();
    await fire(1000);
    sources[1]!.fail();
    await fire(2000);
    expect(forced).toEqual([false, false, true]);
  });

  it('delivers refetch to listeners and stops when signed out', async () => {
    let signedIn = true;
    const { connection, sources, fire } = harness(() => (signedIn ? 'tok' : null));
    const types: string[] = [];
    connection.subscribe((m) => types.push(m.type));
    await flush();
    sources[0]!.send('refetch', { reason: 'Last-Event-ID is older than the journal' }, '99');
    expect(types).toEqual(['refetch']);
    signedIn = false;
    sources[0]!.fail();
    await fire(1000);
    expect(connection.status).toBe('signed-out');
    expect(sources).toHaveLength(1);
  });

  it('closes a second after the last listener leaves, not before', async () => {
    const { connection, sources, fire } = harness();
    const off = connection.subscribe(() => {});
    await flush();
    off();
    expect(sources[0]!.closed).toBe(false);
    await fire(1000);
    expect(sources[0]!.closed).toBe(true);
    expect(connection.status).toBe('idle');
  });

  it('ignores a listener that throws', async () => {
    const { connection, sources } = harness();
    const got: string[] = [];
    const error = console.error;
    console.error = () => {};
    connection.subscribe(() => {
      throw new Error('bug');
    });
    connection.subscribe((m) => got.push(m.type));
    await flush();
    sources[0]!.send('call.hangup', {}, '3');
    console.error = error;
    expect(got).toEqual(['call.hangup']);
  });
});
