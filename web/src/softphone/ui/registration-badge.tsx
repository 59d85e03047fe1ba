import { Badge, Tooltip } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { RegistrationState } from '../softphone-state.ts';
import type { TabRole } from '../softphone-tab-lock.ts';

const COLORS: Record<RegistrationState, string> = {
  loading: 'gray',
  'not-configured': 'gray',
  connecting: 'yellow',
  registering: 'yellow',
  registered: 'teal',
  unregistered: 'red',
  disconnected: 'red',
  failed: 'red',
};

/** The registration state as it is (never "registered" unless the registrar said so). */
export function RegistrationBadge({
  registration,
  detail,
  tabRole,
}: {
  registration: RegistrationState;
  detail: string | null;
  tabRole: TabRole;
}) {
  const { t } = useTranslation('operator');
  if (tabRole === 'elsewhere')
    return (
      <Badge color="gray" variant="outline" data-testid="softphone-registration" data-state="elsewhere">
        {t('softphone.tab.elsewhereShort')}
      </Badge>
    );
  // A reason of `not-configured` is an i18n key (softphone-settings.ts); others are SIP texts.
  const reason = detail ? (detail.startsWith('softphone.') ? t(detail) : detail) : null;
  const badge = (
    <Badge
      color={COLORS[registration]}
      variant="light"
      data-testid="softphone-registration"
      data-state={registration}
    >
      {t(`softphone.registration.${registration}`)}
    </Badge>
  );
  return reason ? <Tooltip label={reason}>{badge}</Tooltip> : badge;
}
