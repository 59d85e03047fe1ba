import i18next, { type i18n as I18n } from 'i18next';
import { initReactI18next } from 'react-i18next';
import operatorEn from '../operator/locales/en.json';
import operatorRu from '../operator/locales/ru.json';
import reportsEn from '../reports/locales/en.json';
import reportsRu from '../reports/locales/ru.json';
import supervisionEn from '../supervision/locales/en.json';
import supervisionRu from '../supervision/locales/ru.json';
import commonEn from './locales/en.json';
import commonRu from './locales/ru.json';

/**
 * i18next for the whole app: Russian by default (the user's clinics), English on request. The
 * choice is kept in localStorage (`callcenter.language`) and mirrored to `<html lang>`. Namespaces:
 * `common` (shell, login, journal, admin), `operator` (web/src/operator/locales), `reports`
 * (web/src/reports/locales) and `supervision` (web/src/supervision/locales: operator sessions,
 * missed calls), each owned by its feature.
 */

export const LANGUAGES = ['ru', 'en'] as const;
/** A language of the app. */
export type Language = (typeof LANGUAGES)[number];
/** Russian, the default (see above). */
export const DEFAULT_LANGUAGE: Language = 'ru';
/** Where the chosen language is kept in localStorage. */
export const LANGUAGE_STORAGE_KEY = 'callcenter.language';

/** The translations per language and namespace. */
export const resources = {
  ru: { common: commonRu, operator: operatorRu, reports: reportsRu, supervision: supervisionRu },
  en: { common: commonEn, operator: operatorEn, reports: reportsEn, supervision: supervisionEn },
} as const;

const isLanguage = (value: unknown): value is Language => LANGUAGES.includes(value as Language);

/** The persisted language, or Russian. */
export function storedLanguage(): Language {
  try {
    const value = globalThis.localStorage?.getItem(LANGUAGE_STORAGE_KEY);
    return isLanguage(value) ? value : DEFAULT_LANGUAGE;
  } catch {
    return DEFAULT_LANGUAGE;
  }
}

/** Switches the language, persists it and updates `<html lang>`. */
export async function setLanguage(language: Language): Promise<void> {
  try {
    globalThis.localStorage?.setItem(LANGUAGE_STORAGE_KEY, language);
  } catch {
    // private mode: the choice lasts for this page only
  }
  await i18next.changeLanguage(language);
}

/** The current language as one of ours. */
export function currentLanguage(instance: I18n = i18next): Language {
  return isLanguage(instance.resolvedLanguage) ? instance.resolvedLanguage : DEFAULT_LANGUAGE;
}

/** Initialises the shared i18next instance once (idempotent); returns it. */
export function initI18n(): I18n {
  if (i18next.isInitialized) return i18next;
  void i18next.use(initReactI18next).init({
    resources,
    lng: storedLanguage(),
    fallbackLng: DEFAULT_LANGUAGE,
    supportedLngs: [...LANGUAGES],
    ns: ['common', 'operator', 'reports', 'supervision'],
    defaultNS: 'common',
    interpolation: { escapeValue: false }, // React escapes
    returnNull: false,
    initAsync: false,
  });
  const mirror = (language: string) => {
    if (typeof document !== 'undefined') document.documentElement.lang = language;
  };
  mirror(i18next.language);
  i18next.on('languageChanged', mirror);
  return i18next;
}
