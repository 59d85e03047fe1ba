import { describe, expect, it } from 'vitest';
import { ApiRequestError } from '../../api/http.ts';
import { loginFailureText } from '../login-failure.ts';

const t = (key: string, options?: Record<string, unknown>) =>
  options ? `${key} ${JSON.stringify(options)}` : key;

describe('login failure messages', () => {
  it('names wrong credentials, the rate limit with its wait, server and network failures', () => {
    expect(loginFailureText(new ApiRequestError(401, 'unauthorized', 'invalid login or password'), t)).toBe(
      'login.badCredentials',
    );
    // The wait in minutes (rounded up), never "897 s".
    expect(loginFailureText(new ApiRequestError(429, 'rate_limited', 'too many', undefined, 897), t)).toBe(
      'login.rateLimitedFor {"minutes":15}',
    );
    expect(
      loginFailureText(
        new ApiRequestError(429, 'rate_limited', 'too many', { retryAfterSec: 50, retryAfterMin: 1 }),
        t,
      ),
    ).toBe('login.rateLimitedFor {"minutes":1}');
    expect(loginFailureText(new ApiRequestError(429, 'rate_limited', 'too many'), t)).toBe(
      'login.rateLimited',
    );
    // The API's English sentence is not shown to a Russian user.
    expect(loginFailureText(new ApiRequestError(503, 'unavailable', 'database down'), t)).toBe(
      'login.serverError {"message":"apiErrors.fallback {\\"status\\":503}"}',
    );
    expect(loginFailureText(new TypeError('Failed to fetch'), t)).toBe('login.networkError');
  });
});
