/**
 * When an access token (a JWT, HS256 from `POST /auth/login`) expires, read from its `exp` claim
 * without verifying it (only the server can). Used to refresh before opening a live stream: the
 * server checks the token once, when the stream opens.
 *
 * @returns milliseconds since the epoch (UTC), or null when the token has no readable `exp`.
 */
export function accessTokenExpiresAt(token: string): number | null {
  const payload = token.split('.')[1];
  if (!payload) return null;
  try {
    const base64 = payload.replace(/-/g, '+').replace(/_/g, '/');
    const json = JSON.parse(atob(base64.padEnd(base64.length + ((4 - (base64.length % 4)) % 4), '='))) as {
      exp?: unknown;
    };
    return typeof json.exp === 'number' ? json.exp * 1000 : null;
  } catch {
    return null;
  }
}

/** True when `token` expires within `marginMs` of `now` (or cannot be read: refresh to be safe). */
export function accessTokenExpiring(token: string, now: number, marginMs = 30_000): boolean {
  const expiresAt = accessTokenExpiresAt(token);
  return expiresAt === null || expiresAt - marginMs <= now;
}
