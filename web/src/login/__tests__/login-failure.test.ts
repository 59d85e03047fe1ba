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
    expect(loginFailureText(new ApiRequestError(429, 'rate_limited', 'too many', undefined, 42), t)).toBe(
      'login.rateLimitedFor {"seconds":42}',
    );
    expect(loginFailureText(new ApiRequestError(429, 'rate_limited', 'too many'), t)).toBe(
      'login.rateLimited',
    );
    expect(loginFailureText(new ApiRequestError(503, 'unavailable', 'database down'), t)).toBe(
      'login.serverError {"message":"database down"}',
    );
    expect(loginFailureText(new TypeError('Failed to fetch'), t)).toBe('login.networkError');
  });
});
