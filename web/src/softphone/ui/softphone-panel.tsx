import { Alert, Button, Card, Group, Stack, Text, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Softphone } from '../softphone-provider.tsx';
import { canDial, normaliseDialString } from '../softphone-state.ts';
import { AudioDeviceSelect } from './audio-device-select.tsx';
import { CallLine } from './call-line.tsx';
import { DialPad } from './dial-pad.tsx';
import { RegistrationBadge } from './registration-badge.tsx';

/**
 * The softphone's panel: registration state, "active in another tab" with "use here", the calls
 * with their controls, the dial pad and the audio devices.
 */
export function SoftphonePanel({ phone }: { phone: Softphone }) {
  const { t } = useTranslation('operator');
  const [number, setNumber] = useState('');
  const { state, tabRole, settings } = phone;
  const target = normaliseDialString(number);
  const dialAllowed = canDial(state);
  const notConfigured = settings && !settings.usable;
  const dial = () => {
    if (!target || !dialAllowed) return;
    void phone.dial(target).then(() => setNumber(''));
  };
  return (
    <Card withBorder padding="md" data-testid="softphone">
      <Stack gap="sm">
        <Group justify="space-between">
          <Title order={3} size="h5">
            {t('softphone.title')}
          </Title>
          <RegistrationBadge registration={state.registration} detail={state.detail} tabRole={tabRole} />
        </Group>

        {tabRole === 'elsewhere' && (
          <Alert color="gray" variant="light" data-testid="softphone-elsewhere">
            <Stack gap="xs">
              <Text size="sm">{t('softphone.tab.elsewhere')}</Text>
              <Button size="xs" variant="light" onClick={phone.takeOver} w="fit-content">
                {t('softphone.tab.useHere')}
              </Button>
            </Stack>
          </Alert>
        )}
        {tabRole === 'unsupported' && (
          <Text size="xs" c="dimmed">
            {t('softphone.tab.unsupported')}
          </Text>
        )}
        {notConfigured && (
          <Text size="sm" c="dimmed" data-testid="softphone-not-configured">
            {t(settings.reason)}
          </Text>
        )}
        {state.detail && !state.detail.startsWith('softphone.') && state.registration !== 'registered' && (
          <Text size="xs" c="red">
            {state.detail}
          </Text>
        )}
        {phone.lastError && (
          <Alert color="red" variant="light" role="alert" title={t('softphone.commandFailed')}>
            {phone.lastError}
          </Alert>
        )}

        {state.calls.map((call) => (
          <CallLine key={call.id} call={call} phone={phone} />
        ))}

        {!notConfigured && tabRole !== 'elsewhere' && (
          <>
            <form
              onSubmit={(event) => {
                event.preventDefault();
                dial();
              }}
            >
              <Group gap="xs" align="flex-end">
                <TextInput
                  label={t('softphone.number')}
                  value={number}
                  onChange={(e) => setNumber(e.currentTarget.value)}
                  inputMode="tel"
                  autoComplete="off"
                  style={{ flex: 1 }}
                  error={number && !target ? t('softphone.badNumber') : undefined}
                />
                <Button type="submit" color="teal" disabled={!target || !dialAllowed}>
                  {t('softphone.call')}
                </Button>
              </Group>
            </form>
            <DialPad label={t('softphone.keypad')} onKey={(key) => setNumber((n) => n + key)} />
            <AudioDeviceSelect value={phone.audio} onChange={phone.setAudio} />
          </>
        )}
      </Stack>
    </Card>
  );
}
