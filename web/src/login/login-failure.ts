import { apiErrorText, retryAfterMinutes } from '../api/error-text.ts';
import { ApiRequestError } from '../api/http.ts';

/**
 * What the login page says when `POST /auth/login` fails: 401 → wrong login or password (the API
 * does not say which, and neither do we); 429 → too many failed attempts, with the wait in
 * minutes; anything else → the error code's text in the user's language (api/error-text.ts); no
 * answer → a network problem.
 */
export function loginFailureText(
  error: unknown,
  t: (key: string, options?: Record<string, unknown>) => string,
  language = 'ru',
  exists: (key: string) => boolean = () => false,
): string {
  if (error instanceof ApiRequestError) {
    if (error.status === 401) return t('login.badCredentials');
    if (error.status === 429) {
      const minutes = retryAfterMinutes(error);
      return minutes ? t('login.rateLimitedFor', { minutes }) : t('login.rateLimited');
    }
    return t('login.serverError', { message: apiErrorText(error, t, language, exists) });
  }
  return t('login.networkError');
}
