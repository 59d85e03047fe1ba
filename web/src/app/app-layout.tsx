import {
  AppShell,
  Avatar,
  Badge,
  Burger,
  Group,
  Menu,
  NavLink,
  Stack,
  Text,
  Tooltip,
  UnstyledButton,
} from '@mantine/core';
import { useDisclosure, useHotkeys } from '@mantine/hooks';
import { useQueryClient } from '@tanstack/react-query';
import { lazy, type ReactNode, Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import { Outlet, NavLink as RouterNavLink, useLocation, useNavigate } from 'react-router';
import { logout } from '../api/http.ts';
import { useUser } from '../auth/session.tsx';
import { LiveQueryInvalidation, useLiveStatus } from '../live/index.ts';
import {
  ChartIcon,
  ClockIcon,
  JournalIcon,
  LogoutIcon,
  MissedIcon,
  PhoneIcon,
  SettingsIcon,
  WallboardIcon,
} from '../ui/icons.tsx';
import { LanguageSwitch } from '../ui/language-switch.tsx';
import { PageErrorBoundary } from './error-boundary.tsx';
import { type SectionId, sectionsFor } from './navigation.ts';

/**
 * The signed-in shell: header (product, live connection, language, user menu with sign-out),
 * navigation by role with Alt+1…7 shortcuts, and the page. A page that fails is replaced by an
 * error message; the shell stays. Live events keep cached call lists fresh (web/src/live).
 */

const ICONS: Record<SectionId, ReactNode> = {
  operator: <PhoneIcon />,
  journal: <JournalIcon />,
  reports: <ChartIcon />,
  live: <WallboardIcon />,
  missed: <MissedIcon />,
  sessions: <ClockIcon />,
  admin: <SettingsIcon />,
};

const ROLE_COLORS = { operator: 'blue', supervisor: 'violet', admin: 'red' } as const;

function initials(name: string): string {
  return (
    name
      .split(/\s+/)
      .filter(Boolean)
      .slice(0, 2)
      .map((part) => part[0]!.toUpperCase())
      .join('') || '?'
  );
}

function LiveIndicator() {
  const { t } = useTranslation();
  const status = useLiveStatus();
  const color = status === 'open' ? 'teal' : status === 'connecting' ? 'yellow' : 'gray';
  return (
    <Tooltip label={t(`shell.live.${status}`, { defaultValue: status })}>
      <Badge
        color={color}
        variant="dot"
        size="sm"
        data-testid="live-status"
        data-status={status}
        visibleFrom="sm"
      >
        {t('shell.live.label')}
      </Badge>
    </Tooltip>
  );
}

function UserMenu() {
  const { t } = useTranslation();
  const user = useUser();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const signOut = async () => {
    await logout().catch(() => {});
    queryClient.clear();
    navigate('/login', { replace: true });
  };
  const name = user.displayName || user.login;
  return (
    <Menu position="bottom-end" width={260} withinPortal>
      <Menu.Target>
        <UnstyledButton data-testid="user-menu" aria-label={t('shell.userMenu')}>
          <Group gap="xs" wrap="nowrap">
            <Avatar color={ROLE_COLORS[user.role]} radius="xl" size={32}>
              {initials(name)}
            </Avatar>
            <Stack gap={0} visibleFrom="sm">
              <Text size="sm" fw={600} lh={1.2} data-testid="user-name">
                {name}
              </Text>
              <Text size="xs" c="dimmed" lh={1.2} data-testid="user-role" data-role={user.role}>
                {t(`roles.${user.role}`)}
                {user.endpoint ? ` · ${t('shell.endpoint', { endpoint: user.endpoint })}` : ''}
              </Text>
            </Stack>
          </Group>
        </UnstyledButton>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>{user.login}</Menu.Label>
        {user.role === 'supervisor' && (
          <Menu.Item disabled>
            {t('shell.queues')}: {user.queues.join(', ') || '—'}
          </Menu.Item>
        )}
        <Menu.Divider />
        <Menu.Item leftSection={<LogoutIcon size={16} />} onClick={() => void signOut()} data-testid="logout">
          {t('shell.logout')}
        </Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}

export function AppLayout() {
  const { t } = useTranslation();
  const user = useUser();
  const location = useLocation();
  const navigate = useNavigate();
  const [opened, { toggle, close }] = useDisclosure();
  const sections = sectionsFor(user.role);
  useHotkeys(sections.map((section, index) => [`alt+${index + 1}`, () => navigate(section.path)]));

  const shell = (
    <AppShell
      header={{ height: 56 }}
      navbar={{ width: 232, breakpoint: 'sm', collapsed: { mobile: !opened } }}
      padding="md"
    >
      <a href="#main" className="skip-link">
        {t('shell.skipToContent')}
      </a>
      <LiveQueryInvalidation />
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" aria-label={t('shell.menu')} />
            <Group gap={8} wrap="nowrap">
              <PhoneIcon size={22} color="var(--mantine-primary-color-filled)" />
              <Text fw={700} size="lg">
                {t('shell.product')}
              </Text>
            </Group>
          </Group>
          <Group gap="md" wrap="nowrap">
            <LiveIndicator />
            <LanguageSwitch />
            <UserMenu />
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" aria-label={t('shell.navigation')}>
        <nav data-testid="app-nav">
          {sections.map((section, index) => (
            <Tooltip key={section.id} label={`Alt+${index + 1}`} position="right" openDelay={600}>
              <NavLink
                component={RouterNavLink}
                to={section.path}
                onClick={close}
                label={t(section.labelKey)}
                leftSection={ICONS[section.id]}
                active={location.pathname.startsWith(section.path)}
                data-testid={`nav-${section.id}`}
                aria-keyshortcuts={`Alt+${index + 1}`}
                style={{ borderRadius: 'var(--mantine-radius-md)' }}
              />
            </Tooltip>
          ))}
        </nav>
      </AppShell.Navbar>
      <AppShell.Main id="main" tabIndex={-1}>
        <PageErrorBoundary resetKey={location.pathname}>
          <Outlet />
        </PageErrorBoundary>
      </AppShell.Main>
    </AppShell>
  );
  // An operator's softphone lives above the pages, so a call survives moving to the journal and
  // back (the workspace reuses this one). Loaded lazily: other roles never download SIP.js.
  if (user.role !== 'operator' || !user.endpoint) return shell;
  return (
    <Suspense fallback={shell}>
      <LazySoftphoneProvider>{shell}</LazySoftphoneProvider>
    </Suspense>
  );
}

const LazySoftphoneProvider = lazy(() =>
  import('../softphone/index.ts').then((module) => ({ default: module.SoftphoneProvider })),
);
