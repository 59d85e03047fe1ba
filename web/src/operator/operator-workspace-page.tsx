import { Alert, Button, CloseButton, Grid, Group, Paper, Stack, Tabs, Text } from '@mantine/core';
import { useCallback, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { useUser } from '../auth/session.tsx';
import { useLiveEvents } from '../live/index.ts';
import { EnsureSoftphone, SoftphonePanel, useOptionalSoftphone } from '../softphone/index.ts';
import { PageHeader } from '../ui/page-header.tsx';
import { CallCardPanel } from './call-card/call-card-panel.tsx';
import { CallbackWorklist } from './callbacks/callback-worklist.tsx';
import { MyCallsList } from './my-calls/my-calls-list.tsx';
import { OperatorStatus, useMyPresence } from './presence/operator-status.tsx';
import { PopPhaseBadge } from './screen-pop/pop-phase-badge.tsx';
import { dismissPop, type ScreenPop, screenPopReducer } from './screen-pop/screen-pop-state.ts';
import { MyFigures } from './stats/my-figures.tsx';

/**
 * The operator's workspace at /app/operator: softphone and today's figures on the left; on the
 * right the screen pops of calls ringing at my endpoint, and tabs for the open card, my calls and
 * the callback worklist. The open card and tab are in the URL (`?tab=card&call=42`), so a reload
 * or a link keeps them. A ring opens its card at once unless the card on screen has unsaved
 * edits: then the pop waits in the bar above.
 */

type Tab = 'card' | 'calls' | 'callbacks';
const TABS: Tab[] = ['card', 'calls', 'callbacks'];

function PopBar({
  pops,
  selectedCallId,
  onOpen,
  onDismiss,
}: {
  pops: ScreenPop[];
  selectedCallId: number | null;
  onOpen: (pop: ScreenPop) => void;
  onDismiss: (pop: ScreenPop) => void;
}) {
  const { t } = useTranslation('operator');
  if (pops.length === 0) return null;
  return (
    <Group gap="xs" data-testid="screen-pops" role="list" aria-label={t('pop.listLabel')}>
      {pops.map((pop) => (
        <Paper
          key={pop.key}
          withBorder
          px="xs"
          py={4}
          role="listitem"
          data-testid="screen-pop"
          data-phase={pop.phase}
          bg={
            pop.callId !== null && pop.callId === selectedCallId
              ? 'var(--mantine-color-blue-light)'
              : undefined
          }
        >
          <Group gap={6} wrap="nowrap">
            <Button
              size="compact-sm"
              variant="subtle"
              disabled={pop.callId === null}
              onClick={() => onOpen(pop)}
            >
              {pop.callerNumber ?? t('card.unknownNumber')}
            </Button>
            <PopPhaseBadge size="sm" phase={pop.phase} />
            {pop.queue && (
              <Text size="xs" c="dimmed">
                {pop.queue}
              </Text>
            )}
            <CloseButton size="sm" aria-label={t('pop.dismiss')} onClick={() => onDismiss(pop)} />
          </Group>
        </Paper>
      ))}
    </Group>
  );
}

function Workspace() {
  const { t } = useTranslation('operator');
  const user = useUser();
  const phone = useOptionalSoftphone();
  const [params, setParams] = useSearchParams();
  const tab: Tab = TABS.includes(params.get('tab') as Tab) ? (params.get('tab') as Tab) : 'card';
  const callId = /^[1-9][0-9]{0,14}$/.test(params.get('call') ?? '') ? Number(params.get('call')) : null;
  const [pops, setPops] = useState<ScreenPop[]>([]);
  const popsRef = useRef<ScreenPop[]>([]);
  const dirtyRef = useRef(false);
  const [waiting, setWaiting] = useState<ScreenPop | null>(null);

  const openCall = useCallback((id: number) => setParams({ tab: 'card', call: String(id) }), [setParams]);

  // An operator who ended their shift gets no pops (the queues do not ring them; a direct call may).
  const myPresence = useMyPresence(user.endpoint);
  const offline = myPresence?.state === 'offline';
  const offlineRef = useRef(offline);
  offlineRef.current = offline;

  useLiveEvents((message) => {
    if (offlineRef.current && message.type === 'call.ringing') return;
    const before = popsRef.current;
    const next = screenPopReducer(before, message, user.endpoint, Date.now());
    if (next === before) return;
    popsRef.current = next;
    setPops(next);
    // The card on screen was answered by a colleague (a ringall queue) and is untouched: close it.
    const shown = callId === null ? undefined : next.find((p) => p.callId === callId);
    if (shown?.phase === 'answered-elsewhere' && !dirtyRef.current) setParams({ tab: 'card' });
    const rang = message.type === 'call.ringing' ? next[0] : undefined;
    if (rang?.phase === 'ringing' && rang.callId !== null) {
      if (dirtyRef.current && rang.callId !== callId) setWaiting(rang);
      else openCall(rang.callId);
    }
  }, user.endpoint !== null);

  const pop = callId === null ? undefined : pops.find((p) => p.callId === callId);
  const dismiss = (target: ScreenPop) => {
    popsRef.current = dismissPop(popsRef.current, target.key);
    setPops(popsRef.current);
    if (waiting?.key === target.key) setWaiting(null);
  };

  return (
    <Stack gap="md">
      <PageHeader
        title={t('page.title')}
        subtitle={user.endpoint ? t('page.subtitle', { endpoint: user.endpoint }) : t('page.noEndpoint')}
        actions={user.endpoint ? <OperatorStatus endpoint={user.endpoint} /> : undefined}
      />
      <Grid gutter="md">
        <Grid.Col span={{ base: 12, md: 4 }}>
          <Stack gap="md">
            {phone && user.endpoint ? <SoftphonePanel phone={phone} /> : null}
            {user.endpoint && <MyFigures />}
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: user.endpoint ? 8 : 12 }}>
          <Stack gap="sm">
            {!user.endpoint && (
              <Alert color="gray" variant="light">
                {t('page.noEndpointHint')}
              </Alert>
            )}
            {waiting && (
              <Alert color="blue" variant="light" data-testid="pop-waiting" title={t('pop.waitingTitle')}>
                <Group justify="space-between">
                  <Text size="sm">
                    {t('pop.waitingText', { number: waiting.callerNumber ?? t('card.unknownNumber') })}
                  </Text>
                  <Button
                    size="xs"
                    onClick={() => {
                      if (waiting.callId !== null) openCall(waiting.callId);
                      setWaiting(null);
                    }}
                  >
                    {t('pop.open')}
                  </Button>
                </Group>
              </Alert>
            )}
            {offline && (
              <Alert color="gray" variant="light" data-testid="pops-offline">
                {t('pop.offlineNote')}
              </Alert>
            )}
            <PopBar
              pops={pops}
              selectedCallId={callId}
              onOpen={(p) => p.callId !== null && openCall(p.callId)}
              onDismiss={dismiss}
            />
            <Tabs
              value={tab}
              onChange={(value) => {
                const next = new URLSearchParams(params);
                next.set('tab', value ?? 'card');
                setParams(next);
              }}
            >
              <Tabs.List>
                <Tabs.Tab value="card">{t('tabs.card')}</Tabs.Tab>
                {user.endpoint && <Tabs.Tab value="calls">{t('tabs.calls')}</Tabs.Tab>}
                <Tabs.Tab value="callbacks">{t('tabs.callbacks')}</Tabs.Tab>
              </Tabs.List>
              <Tabs.Panel value="card" pt="sm">
                {callId === null ? (
                  <Paper withBorder p="xl" data-testid="no-card">
                    <Text c="dimmed" ta="center">
                      {user.endpoint ? t('page.waitingForCalls') : t('page.pickACall')}
                    </Text>
                  </Paper>
                ) : (
                  <CallCardPanel
                    key={callId}
                    callId={callId}
                    {...(pop ? { pop } : {})}
                    onDirtyChange={(dirty) => {
                      dirtyRef.current = dirty;
                    }}
                  />
                )}
              </Tabs.Panel>
              {user.endpoint && (
                <Tabs.Panel value="calls" pt="sm">
                  <MyCallsList endpoint={user.endpoint} selectedCallId={callId} onOpenCall={openCall} />
                </Tabs.Panel>
              )}
              <Tabs.Panel value="callbacks" pt="sm">
                <CallbackWorklist phone={phone} onOpenCall={openCall} />
              </Tabs.Panel>
            </Tabs>
          </Stack>
        </Grid.Col>
      </Grid>
    </Stack>
  );
}

/** The operator workspace page (mounted by the shell at /app/operator). */
export function OperatorWorkspacePage() {
  return (
    <EnsureSoftphone>
      <Workspace />
    </EnsureSoftphone>
  );
}
