import { Alert, List, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { apiErrorText, errorFields } from '../api/error-text.ts';
import { ApiRequestError } from '../api/http.ts';

/**
 * An API failure as people should read it: the status's meaning as the title (409 someone else
 * changed it, 422 the rules refused it, 429 too many attempts, 403 not allowed…) and below the
 * text of the API's error code in the user's language (api/error-text.ts), with the fields
 * `details` names when it names any (in English with the API's own words for each).
 */

interface Issue {
  path?: (string | number)[];
  message?: string;
}

/** Human lines from an error's `details` (zod issues or `{field: message}`), at most 8. */
export function detailLines(details: unknown): string[] {
  if (Array.isArray(details)) {
    return (details as Issue[])
      .filter((issue) => issue && typeof issue.message === 'string')
      .map((issue) => (issue.path?.length ? `${issue.path.join('.')}: ${issue.message}` : issue.message!))
      .slice(0, 8);
  }
  if (details && typeof details === 'object') {
    const fields = (details as { fields?: unknown }).fields ?? details;
    if (fields && typeof fields === 'object' && !Array.isArray(fields)) {
      return Object.entries(fields as Record<string, unknown>)
        .filter(([, value]) => typeof value === 'string')
        .map(([key, value]) => `${key}: ${value as string}`)
        .slice(0, 8);
    }
  }
  return [];
}

/** The i18n key of the title for an error's status. */
export function errorTitleKey(error: unknown): string {
  if (!(error instanceof ApiRequestError)) return 'errors.network';
  switch (error.status) {
    case 400:
      return 'errors.badRequest';
    case 401:
      return 'errors.unauthorized';
    case 403:
      return 'errors.forbidden';
    case 404:
      return 'errors.notFound';
    case 409:
      return 'errors.conflict';
    case 422:
      return 'errors.unprocessable';
    case 429:
      return 'errors.rateLimited';
    default:
      return error.status >= 500 ? 'errors.server' : 'errors.generic';
  }
}

export function ApiErrorAlert({ error, title }: { error: unknown; title?: string }) {
  const { t, i18n } = useTranslation();
  if (!error) return null;
  const language = i18n.resolvedLanguage ?? i18n.language;
  const message = apiErrorText(error, t, language, (key) => i18n.exists(key));
  const fields = error instanceof ApiRequestError ? errorFields(error.details) : [];
  const lines =
    error instanceof ApiRequestError
      ? language === 'en'
        ? detailLines(error.details)
        : fields.length
          ? [t('apiErrors.fields', { fields: fields.join(', ') })]
          : []
      : [];
  return (
    <Alert
      color="red"
      variant="light"
      title={title ?? t(errorTitleKey(error))}
      role="alert"
      data-testid="api-error"
    >
      <Text size="sm">{message}</Text>
      {lines.length > 0 && (
        <List size="sm" mt={4}>
          {lines.map((line) => (
            <List.Item key={line}>{line}</List.Item>
          ))}
        </List>
      )}
    </Alert>
  );
}
