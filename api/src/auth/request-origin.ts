import type { Context } from 'hono';

/**
 * Where a request comes from, for the audit log and per-IP login limits — the one rule every route
 * uses.
 *
 * The last entry of `X-Forwarded-For` when the header is present — the one the nearest proxy
 * (nginx, a load balancer) appended, which a client cannot forge through that proxy — otherwise the
 * socket's peer address (null under `app.request` in tests). Without a
 * proxy in front, a client can set X-Forwarded-For itself: per-IP limits then hold only per claimed
 * address, while the per-login limit still applies. Cut to 100 characters.
 */
export function clientIp(c: Context): string | null {
  const forwarded = c.req.header('x-forwarded-for');
  if (forwarded) {
    const last = forwarded
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean)
      .at(-1);
    if (last) return last.slice(0, 100);
  }
  return socketIp(c);
}

/** The peer address of the socket under @hono/node-server (`env.incoming`), or null. */
function socketIp(c: Context): string | null {
  const env = c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined;
  return env?.incoming?.socket?.remoteAddress ?? null;
}

/** True when the client reached us over https (directly, or as `X-Forwarded-Proto` says). */
export function isHttps(c: Context): boolean {
  const proto = c.req.header('x-forwarded-proto')?.split(',')[0]?.trim().toLowerCase();
  if (proto) return proto === 'https';
  return new URL(c.req.url).protocol === 'https:';
}

/** The User-Agent header, or null. */
export const userAgent = (c: Context): string | null => c.req.header('user-agent') ?? null;
