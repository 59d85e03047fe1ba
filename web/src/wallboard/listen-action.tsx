import { Button, Group, Menu, Text, Tooltip } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { apiErrorText } from '../api/error-text.ts';
import { apiJson } from '../api/http.ts';
import { useUser } from '../auth/session.tsx';
import type { WallboardOperator } from './use-wallboard.ts';

/** How the supervisor joins: `POST /control/listen`'s modes (README.md "Live calls"). */
const MODES = ['listen', 'whisper', 'barge'] as const;
type ListenMode = (typeof MODES)[number];

/**
 * Listen-in from the wallboard's operator row (supervisors within scope, admins): while the
 * operator is on a call, a menu to listen silently, whisper to the operator or barge in. The
 * supervisor's own phone rings (`POST /control/listen`, Asterisk's ChanSpy); without ARI or
 * without a phone of their own the button is disabled with the reason.
 */
export function ListenAction({ operator }: { operator: WallboardOperator }) {
  const { t, i18n } = useTranslation();
  const user = useUser();
  const [state, setState] = useState<{ busy: boolean; ringing: boolean; error: unknown }>({
    busy: false,
    ringing: false,
    error: null,
  });
  const control = useQuery({
    queryKey: ['control', 'status'],
    queryFn: ({ signal }) => apiJson<{ available: boolean }>('/control/status', { signal }),
    staleTime: 5 * 60_000,
  });
  if (operator.state !== 'talking' && operator.state !== 'hold') return null;
  const reason =
    control.data && !control.data.available
      ? t('wallboard.listen.noAri')
      : !user.endpoint
        ? t('wallboard.listen.noPhone')
        : null;
  const start = async (mode: ListenMode) => {
    setState({ busy: true, ringing: false, error: null });
    try {
      await apiJson('/control/listen', { method: 'POST', body: { operator_id: operator.operator_id, mode } });
      setState({ busy: false, ringing: true, error: null });
    } catch (error) {
      setState({ busy: false, ringing: false, error });
    }
  };
  const language = i18n.resolvedLanguage ?? i18n.language;
  return (
    <Group gap={4} wrap="nowrap">
      {reason !== null || !control.data ? (
        <Tooltip label={reason} disabled={!reason}>
          {/* A disabled button gets no pointer events: the span carries the tooltip. */}
          <span>
            <Button
              size="compact-xs"
              variant="light"
              disabled
              data-testid={`wallboard-listen-${operator.operator}`}
              data-reason={reason ? 'unavailable' : 'loading'}
            >
              {t('wallboard.listen.button')}
            </Button>
          </span>
        </Tooltip>
      ) : (
        <Menu position="bottom-end" withinPortal>
          <Menu.Target>
            <Button
              size="compact-xs"
              variant="light"
              color="blue"
              loading={state.busy}
              data-testid={`wallboard-listen-${operator.operator}`}
            >
              {t('wallboard.listen.button')}
            </Button>
          </Menu.Target>
          <Menu.Dropdown>
            {MODES.map((mode) => (
              <Menu.Item key={mode} onClick={() => void start(mode)} data-testid={`wallboard-listen-${mode}`}>
                {t(`wallboard.listen.${mode}`)}
              </Menu.Item>
            ))}
          </Menu.Dropdown>
        </Menu>
      )}
      {state.ringing ? (
        <Text size="xs" c="blue" data-testid="wallboard-listen-ringing">
          {t('wallboard.listen.ringing')}
        </Text>
      ) : null}
      {state.error ? (
        <Text size="xs" c="red" data-testid="wallboard-listen-error">
          {apiErrorText(state.error, t, language, (key) => i18n.exists(key))}
        </Text>
      ) : null}
    </Group>
  );
}
