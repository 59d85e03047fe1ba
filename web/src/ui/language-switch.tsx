import { SegmentedControl } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { apiJson, currentSession } from '../api/http.ts';
import { currentLanguage, LANGUAGES, type Language, setLanguage } from '../i18n/i18n.ts';

/**
 * RU | EN switch; the choice persists (i18n.ts) and, when signed in, is stored as the user's
 * language (`PUT /me/preferences`): exports and e-mailed reports follow it.
 */
function choose(language: Language) {
  void setLanguage(language);
  if (currentSession())
    void apiJson('/me/preferences', { method: 'PUT', body: { language } }).catch(() => {});
}

export function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  return (
    <SegmentedControl
      size="xs"
      aria-label={t('shell.language')}
      data-testid="language-switch"
      value={currentLanguage(i18n)}
      onChange={(value) => choose(value as Language)}
      data={LANGUAGES.map((language) => ({ value: language, label: language.toUpperCase() }))}
    />
  );
}
