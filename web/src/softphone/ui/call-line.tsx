import { ActionIcon, Badge, Button, Group, Paper, Stack, Text, TextInput } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Softphone } from '../softphone-provider.tsx';
import {
  allowedCommands,
  callTimerSec,
  formatTimer,
  normaliseDialString,
  type PhoneCall,
} from '../softphone-state.ts';
import { DialPad } from './dial-pad.tsx';

/** Re-renders every second while `running` (the call timer). */
function useNow(running: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!running) return;
    const timer = window.setInterval(() => setNow(Date.now()), 1000);
    return () => window.clearInterval(timer);
  }, [running]);
  return now;
}

const PHASE_COLORS = {
  incoming: 'blue',
  dialing: 'yellow',
  active: 'teal',
  held: 'orange',
  ended: 'gray',
} as const;

/** One call of the softphone with the buttons its phase allows (softphone-state.ts allowedCommands). */
export function CallLine({ call, phone }: { call: PhoneCall; phone: Softphone }) {
  const { t } = useTranslation('operator');
  const now = useNow(call.phase !== 'ended');
  const allowed = allowedCommands(phone.state, call.id);
  const [transferTo, setTransferTo] = useState('');
  const [showTransfer, setShowTransfer] = useState(false);
  const [showKeypad, setShowKeypad] = useState(false);
  const target = normaliseDialString(transferTo);
  // The caller's display name (often the number again, or "Caller 7916…") goes under the number.
  const remoteName = call.remoteName && call.remoteName !== call.remote ? call.remoteName : null;
  return (
    <Paper withBorder p="sm" data-testid="softphone-call" data-session-id={call.id} data-phase={call.phase}>
      <Stack gap="xs">
        {/* The number stays whole on the first line, the phase badge and timer keep their full
            width (moving under the number when both do not fit), and the name and the rest wrap
            under it: the workspace's softphone column is about 340 px wide at 1366×768. */}
        <Group justify="space-between" wrap="wrap" align="flex-start" gap="xs">
          <Stack gap={0} style={{ flex: 1 }}>
            <Text fw={600} style={{ whiteSpace: 'nowrap' }} data-testid="softphone-call-remote">
              {call.remote}
            </Text>
            <Text size="xs" c="dimmed" style={{ overflowWrap: 'break-word' }}>
              {remoteName ? `${remoteName} · ` : ''}
              {t(`softphone.direction.${call.direction}`)}
              {call.consultFor ? ` · ${t('softphone.consultation')}` : ''}
              {call.endReason
                ? ` · ${t(`softphone.endReason.${call.endReason}`, { defaultValue: call.endReason })}`
                : ''}
            </Text>
          </Stack>
          <Group gap="xs" wrap="nowrap" style={{ flexShrink: 0 }}>
            <Badge
              color={PHASE_COLORS[call.phase]}
              variant="light"
              data-testid="softphone-call-phase"
              style={{ flexShrink: 0 }}
            >
              {t(`softphone.phase.${call.phase}`)}
            </Badge>
            <Text ff="monospace" aria-label={t('softphone.timer')}>
              {formatTimer(callTimerSec(call, now))}
            </Text>
            {call.phase === 'ended' && (
              <ActionIcon
                variant="subtle"
                aria-label={t('softphone.dismiss')}
                onClick={() => phone.dismiss(call.id)}
              >
                ×
              </ActionIcon>
            )}
          </Group>
        </Group>
        {call.phase !== 'ended' && (
          <Group gap="xs">
            {allowed.has('answer') && (
              <Button color="teal" size="xs" onClick={() => phone.answer(call.id)}>
                {t('softphone.answer')}
              </Button>
            )}
            {allowed.has('decline') && (
              <Button color="red" variant="light" size="xs" onClick={() => phone.decline(call.id)}>
                {t('softphone.decline')}
              </Button>
            )}
            {allowed.has('hangup') && (
              <Button color="red" size="xs" onClick={() => phone.hangup(call.id)}>
                {t('softphone.hangup')}
              </Button>
            )}
            {(allowed.has('hold') || allowed.has('unhold')) && (
              <Button variant="default" size="xs" onClick={() => phone.hold(call.id, allowed.has('hold'))}>
                {allowed.has('hold') ? t('softphone.hold') : t('softphone.unhold')}
              </Button>
            )}
            {(allowed.has('mute') || allowed.has('unmute')) && (
              <Button
                variant={call.muted ? 'filled' : 'default'}
                size="xs"
                aria-pressed={call.muted}
                onClick={() => phone.mute(call.id, allowed.has('mute'))}
              >
                {allowed.has('mute') ? t('softphone.mute') : t('softphone.unmute')}
              </Button>
            )}
            {allowed.has('dtmf') && (
              <Button
                variant="default"
                size="xs"
                aria-expanded={showKeypad}
                onClick={() => setShowKeypad((v) => !v)}
              >
                {t('softphone.keypad')}
              </Button>
            )}
            {(allowed.has('blindTransfer') || allowed.has('startConsult')) && (
              <Button
                variant="default"
                size="xs"
                aria-expanded={showTransfer}
                onClick={() => setShowTransfer((v) => !v)}
              >
                {t('softphone.transfer')}
              </Button>
            )}
            {allowed.has('completeTransfer') && (
              <Button color="violet" size="xs" onClick={() => phone.completeTransfer(call.id)}>
                {t('softphone.completeTransfer')}
              </Button>
            )}
          </Group>
        )}
        {showKeypad && allowed.has('dtmf') && (
          <DialPad label={t('softphone.dtmf')} onKey={(key) => phone.dtmf(call.id, key)} />
        )}
        {showTransfer && (allowed.has('blindTransfer') || allowed.has('startConsult')) && (
          <Group gap="xs" align="flex-end">
            <TextInput
              size="xs"
              label={t('softphone.transferTarget')}
              value={transferTo}
              onChange={(e) => setTransferTo(e.currentTarget.value)}
              style={{ flex: 1 }}
            />
            <Button
              size="xs"
              disabled={!target}
              onClick={() => {
                if (target) phone.blindTransfer(call.id, target);
              }}
            >
              {t('softphone.blindTransfer')}
            </Button>
            <Button
              size="xs"
              variant="light"
              disabled={!target || !allowed.has('startConsult')}
              onClick={() => {
                if (target) phone.startConsult(call.id, target);
                setShowTransfer(false);
              }}
            >
              {t('softphone.attendedTransfer')}
            </Button>
          </Group>
        )}
      </Stack>
    </Paper>
  );
}
