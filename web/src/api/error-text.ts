import { ApiRequestError } from './http.ts';

/**
 * What a person reads when the API refuses a request. The API's `message` is an English sentence
 * for developers (api/src/errors); people read the text of the stable `error` code in their
 * language (`apiErrors.<code>` in the common namespace, interpolated with the error's `details`
 * and `retryAfterMin`). In English a code without its own text shows the API's message; in any
 * other language it shows the status's generic text, never the English sentence. Every code the
 * API answers with has a text in both bundles (web/test/i18n/bundles.test.ts checks api/src).
 */

type Translate = (key: string, options?: Record<string, unknown>) => string;

interface Issue {
  path?: (string | number)[];
}

/** Whole minutes to wait (at least 1) from a 429/503's details or Retry-After, or null. */
export function retryAfterMinutes(error: ApiRequestError): number | null {
  const details = error.details as { retryAfterMin?: unknown; retryAfterSec?: unknown } | undefined;
  if (typeof details?.retryAfterMin === 'number') return details.retryAfterMin;
  const seconds = typeof details?.retryAfterSec === 'number' ? details.retryAfterSec : error.retryAfterSec;
  return seconds ? Math.max(1, Math.ceil(seconds / 60)) : null;
}

/** The fields a validation error names (zod issue paths or `{fields: {name: …}}`), at most 8. */
export function errorFields(details: unknown): string[] {
  if (Array.isArray(details)) {
    return [
      ...new Set(
        (details as Issue[]).filter((issue) => issue?.path?.length).map((issue) => issue.path!.join('.')),
      ),
    ].slice(0, 8);
  }
  if (details && typeof details === 'object') {
    const fields = (details as { fields?: unknown }).fields;
    if (fields && typeof fields === 'object' && !Array.isArray(fields))
      return Object.keys(fields).slice(0, 8);
  }
  return [];
}

/**
 * The sentence to show for `error` in `language`. `exists(key)` says whether the bundle has a key
 * (i18next's `exists`).
 */
export function apiErrorText(
  error: unknown,
  t: Translate,
  language: string,
  exists: (key: string) => boolean,
): string {
  if (!(error instanceof ApiRequestError)) {
    return t('apiErrors.network');
  }
  const key = `apiErrors.${error.error}`;
  if (exists(key)) {
    const details = error.details && typeof error.details === 'object' ? error.details : {};
    return t(key, { ...details, minutes: retryAfterMinutes(error) ?? 1, status: error.status });
  }
  if (language === 'en') return error.message;
  return t('apiErrors.fallback', { status: error.status });
}
