import { describe, expect, it } from 'vitest';
import en from '../../i18n/locales/en.json';
import ru from '../../i18n/locales/ru.json';
import { apiErrorText } from '../error-text.ts';
import { ApiRequestError } from '../http.ts';

/** A tiny interpolating `t` over one bundle, as i18next does for `{{name}}`. */
const translator = (bundle: Record<string, unknown>) => {
  const lookup = (key: string) =>
    key
      .split('.')
      .reduce<unknown>((node, part) => (node as Record<string, unknown> | undefined)?.[part], bundle);
  return {
    exists: (key: string) => typeof lookup(key) === 'string',
    t: (key: string, options: Record<string, unknown> = {}) =>
      String(lookup(key) ?? key).replace(/\{\{(\w+)\}\}/g, (_, name: string) => String(options[name])),
  };
};

describe('API errors in the user’s language', () => {
  it('a Russian user never reads the API’s English sentence, even for an unknown code', () => {
    const { t, exists } = translator(ru);
    const limited = new ApiRequestError(
      429,
      'rate_limited',
      'too many failed sign-in attempts; try again in 15 min',
      { retryAfterSec: 897, retryAfterMin: 15 },
    );
    expect(apiErrorText(limited, t, 'ru', exists)).toBe(
      'Слишком много попыток. Попробуйте снова через 15 мин.',
    );
    const ari = new ApiRequestError(503, 'ari_unavailable', 'call control needs ARI_URL');
    expect(apiErrorText(ari, t, 'ru', exists)).toMatch(/^Управление звонками недоступно/);
    const unknown = new ApiRequestError(418, 'teapot', 'I am a teapot');
    expect(apiErrorText(unknown, t, 'ru', exists)).toBe('Сервер отклонил запрос (код 418).');
    expect(apiErrorText(new TypeError('Failed to fetch'), t, 'ru', exists)).toMatch(/^Нет связи с сервером/);
  });

  it('in English an unknown code shows the API’s own message', () => {
    const { t, exists } = translator(en);
    expect(apiErrorText(new ApiRequestError(418, 'teapot', 'I am a teapot'), t, 'en', exists)).toBe(
      'I am a teapot',
    );
  });
});
