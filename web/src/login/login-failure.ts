import { ApiRequestError } from '../api/http.ts';

/**
 * What the login page says when `POST /auth/login` fails: 401 → wrong login or password (the API
 * does not say which, and neither do we); 429 → too many attempts, with the wait from Retry-After
 * when the API sent one; 5xx → the server's message; no answer → a network problem.
 */
export function loginFailureText(
  error: unknown,
  t: (key: string, options?: Record<string, unknown>) => string,
): string {
  if (error instanceof ApiRequestError) {
    if (error.status === 401) return t('login.badCredentials');
    if (error.status === 429) {
      return error.retryAfterSec
        ? t('login.rateLimitedFor', { seconds: error.retryAfterSec })
        : t('login.rateLimited');
    }
    if (error.status >= 500) return t('login.serverError', { message: error.message });
    return error.message;
  }
  return t('login.networkError');
}
