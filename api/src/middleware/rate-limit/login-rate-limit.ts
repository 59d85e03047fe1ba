import type { Context } from 'hono';
import { ApiError } from '../../errors/api-error.ts';
import { SlidingWindowLimiter } from './sliding-window-limiter.ts';

/**
 * Slows password guessing at POST /auth/login, in this process's memory (see
 * {@link SlidingWindowLimiter}): failed attempts are counted per login and, separately, per client
 * address; successful sign-ins are never counted, so a clinic whose staff share one NAT address is
 * not locked out by people signing in. A success clears the login's
 * failures. A refused attempt is not counted and checks no password.
 *
 * Trade-off: anyone can lock a known login for up to a window by failing on purpose; the lock is
 * short and shows in the audit log as `login_failed` rows.
 */
export interface LoginRateLimits {
  /** Failed attempts allowed per login (case-insensitive) in the window. */
  failuresPerLogin: number;
  /** Failed attempts allowed per client IP in the window (successes are not counted). */
  failuresPerIp: number;
  /** Window length, seconds. */
  windowSec: number;
}

/** 5 failures per login and 20 attempts per client address in 15 minutes. */
export const DEFAULT_LOGIN_RATE_LIMITS: LoginRateLimits = {
  failuresPerLogin: 5,
  failuresPerIp: 20,
  windowSec: 15 * 60,
};

/**
 * The 429 every refusal gives: `{error: 'rate_limited', message, details: {retryAfterSec,
 * retryAfterMin}}` — the wait in whole minutes (rounded up) is what people are told.
 */
export class RateLimitedError extends ApiError {
  constructor(readonly retryAfterSec: number) {
    const retryAfterMin = Math.max(1, Math.ceil(retryAfterSec / 60));
    super(429, 'rate_limited', `too many failed sign-in attempts; try again in ${retryAfterMin} min`, {
      retryAfterSec,
      retryAfterMin,
    });
  }
}

/**
 * The two login limits above: `admit(login, ip)` throws {@link RateLimitedError} when either is
 * exhausted (before any password is checked); `failed`/`succeeded` record the outcome.
 */
export class LoginRateLimiter {
  readonly #perLogin: SlidingWindowLimiter;
  readonly #perIp: SlidingWindowLimiter;

  /** `now`: clock in epoch milliseconds, injectable for tests. */
  constructor(limits: Partial<LoginRateLimits> = {}, now: () => number = Date.now) {
    const l = { ...DEFAULT_LOGIN_RATE_LIMITS, ...limits };
    const windowMs = l.windowSec * 1000;
    this.#perLogin = new SlidingWindowLimiter({ limit: l.failuresPerLogin, windowMs, now });
    this.#perIp = new SlidingWindowLimiter({ limit: l.failuresPerIp, windowMs, now });
  }

  /**
   * Call before checking a password. Throws {@link RateLimitedError} when the IP or the login has
   * too many failures (also setting `Retry-After` on `c` when given). Counts nothing: only
   * {@link failed} does. A null IP (unknown) is not limited per IP.
   */
  admit(login: string, ip: string | null, c?: Context): void {
    const wait = Math.max(
      ip === null ? 0 : this.#perIp.retryAfterMs(ip),
      this.#perLogin.retryAfterMs(key(login)),
    );
    if (wait > 0) {
      const retryAfterSec = Math.ceil(wait / 1000);
      c?.header('Retry-After', String(retryAfterSec));
      throw new RateLimitedError(retryAfterSec);
    }
  }

  /** Counts a failed attempt against the login and, when known, the client address. */
  failed(login: string, ip: string | null): void {
    this.#perLogin.hit(key(login));
    if (ip !== null) this.#perIp.hit(ip);
  }

  /** Clears the login's failures after a successful sign-in. */
  succeeded(login: string): void {
    this.#perLogin.reset(key(login));
  }
}

const key = (login: string) => login.trim().toLowerCase();
