import type { IncomingMessage } from 'node:http';
import type { Context, MiddlewareHandler } from 'hono';
import proxyAddr from 'proxy-addr';

/**
 * Where a request comes from, for the audit log and per-IP login limits — the one rule every route
 * uses (docs/roles.md#audit: who, what, when, from where).
 *
 * Over a socket (the real server): the socket's peer address, unless that peer is a trusted proxy
 * (`TRUST_PROXY`, default none: a client on the same host is not a proxy); then `X-Forwarded-For` is walked from the right, skipping
 * trusted proxies, and the first address not trusted is the client — express's "trust proxy"
 * rule, through the same library (proxy-addr). A client that sets X-Forwarded-For itself, without
 * a trusted proxy in between, is therefore ignored: it cannot dodge per-IP limits or forge the
 * audit trail. Behind the compose stack's TLS proxy, set TRUST_PROXY to the proxy's network.
 *
 * Without a socket (in-process `app.request`, as in tests): the last X-Forwarded-For entry, else
 * null. Addresses are cut to 100 characters.
 */

/** Compiled trust function of proxy-addr: true when `address` is a trusted proxy. */
export type ProxyTrust = (address: string, hop: number) => boolean;

/** Compiles `TRUST_PROXY` entries (IPs, CIDRs, `loopback`, `linklocal`, `uniquelocal`); throws on a bad one. */
export function compileProxyTrust(entries: readonly string[]): ProxyTrust {
  return proxyAddr.compile([...entries]);
}

const VARIABLE = 'clientIp';

/** Computes the client address once per request (see the module's rule) for {@link clientIp}. */
export function clientAddress(trust: ProxyTrust): MiddlewareHandler {
  return async function clientAddressOf(c, next) {
    const incoming = incomingOf(c);
    const address = incoming?.socket?.remoteAddress ? proxyAddr(incoming, trust) : lastForwarded(c);
    c.set(VARIABLE as never, (address ? address.slice(0, 100) : null) as never);
    await next();
  };
}

/** The client's address (set by {@link clientAddress}; computed from headers when it did not run). */
export function clientIp(c: Context): string | null {
  const known = c.get(VARIABLE as never) as string | null | undefined;
  if (known !== undefined) return known;
  return lastForwarded(c)?.slice(0, 100) ?? incomingOf(c)?.socket?.remoteAddress ?? null;
}

function lastForwarded(c: Context): string | null {
  const forwarded = c.req.header('x-forwarded-for');
  if (!forwarded) return null;
  return (
    forwarded
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean)
      .at(-1) ?? null
  );
}

/** The Node request under @hono/node-server (`env.incoming`), or undefined in-process. */
function incomingOf(c: Context): IncomingMessage | undefined {
  return (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
}

/** True when the client reached us over https (directly, or as `X-Forwarded-Proto` says). */
export function isHttps(c: Context): boolean {
  const proto = c.req.header('x-forwarded-proto')?.split(',')[0]?.trim().toLowerCase();
  if (proto) return proto === 'https';
  return new URL(c.req.url).protocol === 'https:';
}

/** The User-Agent header, or null. */
export const userAgent = (c: Context): string | null => c.req.header('user-agent') ?? null;
