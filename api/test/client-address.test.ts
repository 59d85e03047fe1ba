import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { afterEach, describe, expect, it } from 'vitest';
import { clientAddress, clientIp, compileProxyTrust } from '../src/auth/request-origin.ts';
import { loadApiConfig } from '../src/config/api-config.ts';

/**
 * The one client-address rule (auth/request-origin.ts) over a real socket: X-Forwarded-For is
 * believed only from a trusted proxy (TRUST_PROXY), so a client cannot pick its own address for the
 * audit log or the per-IP login limit.
 */

const servers: { close(): void }[] = [];
afterEach(() => {
  for (const server of servers.splice(0)) server.close();
});

async function serverTrusting(entries: string[]): Promise<string> {
  const app = new Hono();
  app.use('*', clientAddress(compileProxyTrust(entries)));
  app.get('/ip', (c) => c.json({ ip: clientIp(c) }));
  return await new Promise((resolve) => {
    const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info: AddressInfo) =>
      resolve(`http://127.0.0.1:${info.port}`),
    );
    servers.push(server);
  });
}

const ipOf = async (base: string, forwarded?: string) => {
  const response = await fetch(`${base}/ip`, {
    headers: forwarded ? { 'x-forwarded-for': forwarded } : {},
  });
  return ((await response.json()) as { ip: string | null }).ip;
};

describe('client address', () => {
  it('trusts no forwarded header by default: a client on the same host cannot pick a new address per attempt', async () => {
    const { trustProxy } = loadApiConfig({ JWT_SECRET: 'x'.repeat(40) });
    const base = await serverTrusting(trustProxy ?? []);
    const seen = new Set<string | null>();
    for (let i = 1; i <= 5; i++) seen.add(await ipOf(base, `203.0.113.${i}`));
    expect([...seen]).toEqual(['127.0.0.1']);
  });

  it('takes the socket peer when no proxy is trusted, whatever X-Forwarded-For claims', async () => {
    const base = await serverTrusting(['10.99.0.1']);
    expect(await ipOf(base)).toBe('127.0.0.1');
    expect(await ipOf(base, '203.0.113.7')).toBe('127.0.0.1');
  });

  it('walks X-Forwarded-For from the right past trusted proxies to the first untrusted address', async () => {
    const base = await serverTrusting(['loopback', '10.0.0.0/8']);
    expect(await ipOf(base)).toBe('127.0.0.1');
    expect(await ipOf(base, '203.0.113.7')).toBe('203.0.113.7');
    // The client forged the left entry; the trusted 10.x proxy appended the real one.
    expect(await ipOf(base, '198.51.100.1, 203.0.113.9, 10.1.2.3')).toBe('203.0.113.9');
  });

  it('refuses a TRUST_PROXY entry that is not an address, a CIDR or a known range name', () => {
    expect(() => loadApiConfig({ JWT_SECRET: 'x'.repeat(40), TRUST_PROXY: 'loopback,not-an-ip' })).toThrow(
      /TRUST_PROXY/,
    );
    expect(loadApiConfig({ JWT_SECRET: 'x'.repeat(40) }).trustProxy).toEqual([]);
  });
});
