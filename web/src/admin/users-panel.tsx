import { zodResolver } from '@hookform/resolvers/zod';
import { Badge, Button, Group, Modal, PasswordInput, Stack, Table, Text, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { ApiErrorAlert } from '../ui/api-error-alert.tsx';
import { type AdminUser, createUser, listUsers, updateUser } from './admin-api.ts';
import { UserForm, type UserFormValues } from './user-form.tsx';

/**
 * Users (`/admin/users`): everyone who signs in, with role, phone endpoint, queue scope and
 * whether active; create, edit, deactivate/reactivate and reset a password (which signs the user
 * out everywhere — the API revokes their refresh tokens).
 */

const ROLE_COLORS = { operator: 'blue', supervisor: 'violet', admin: 'red' } as const;

const PasswordSchema = z.object({ password: z.string().min(8, 'admin.users.passwordRule') });

function ResetPasswordForm({ user, onDone }: { user: AdminUser; onDone(): void }) {
  const { t } = useTranslation();
  const form = useForm<{ password: string }>({
    resolver: zodResolver(PasswordSchema),
    defaultValues: { password: '' },
  });
  const reset = useMutation({
    mutationFn: (password: string) => updateUser(user.id, { password }),
    onSuccess: () => {
      notifications.show({ color: 'teal', message: t('admin.users.passwordReset', { login: user.login }) });
      onDone();
    },
  });
  const message = form.formState.errors.password?.message;
  return (
    <form onSubmit={form.handleSubmit((v) => reset.mutate(v.password))} noValidate>
      <Stack gap="sm">
        <Text size="sm">{t('admin.users.resetHint')}</Text>
        {reset.error && <ApiErrorAlert error={reset.error} />}
        <PasswordInput
          label={t('admin.users.newPassword')}
          data-autofocus
          error={message ? t(message) : undefined}
          {...form.register('password')}
        />
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>
            {t('actions.cancel')}
          </Button>
          <Button type="submit" loading={reset.isPending}>
            {t('admin.users.resetPassword')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

export function UsersPanel() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const users = useQuery({ queryKey: ['users'], queryFn: ({ signal }) => listUsers(signal) });
  const [editing, setEditing] = useState<AdminUser | 'new' | null>(null);
  const [resetting, setResetting] = useState<AdminUser | null>(null);
  const [filter, setFilter] = useState('');
  const invalidate = () => queryClient.invalidateQueries({ queryKey: ['users'] });

  const save = useMutation({
    mutationFn: async (values: UserFormValues) => {
      const endpoint = values.role === 'operator' ? values.endpoint.trim() || null : null;
      const queues = values.role === 'supervisor' ? values.queues : [];
      if (editing === 'new' || editing === null) {
        return createUser({
          login: values.login.trim(),
          password: values.password,
          role: values.role,
          endpoint,
          queues,
          displayName: values.displayName.trim() || undefined,
        });
      }
      return updateUser(editing.id, {
        role: values.role,
        endpoint,
        queues,
        displayName: values.displayName.trim(),
        active: values.active,
      });
    },
    onSuccess: (user) => {
      notifications.show({ color: 'teal', message: t('admin.users.saved', { login: user.login }) });
      setEditing(null);
      void invalidate();
    },
  });
  const toggleActive = useMutation({
    mutationFn: (user: AdminUser) => updateUser(user.id, { active: !user.active }),
    onSuccess: () => void invalidate(),
  });

  const visible = useMemo(() => {
    const needle = filter.trim().toLowerCase();
    return (users.data ?? []).filter(
      (u) =>
        !needle || u.login.toLowerCase().includes(needle) || u.displayName.toLowerCase().includes(needle),
    );
  }, [users.data, filter]);

  return (
    <Stack gap="sm" data-testid="admin-users">
      <Group justify="space-between">
        <TextInput
          placeholder={t('admin.users.search')}
          value={filter}
          onChange={(e) => setFilter(e.currentTarget.value)}
          w={260}
          aria-label={t('admin.users.search')}
        />
        <Button onClick={() => setEditing('new')} data-testid="user-new">
          {t('admin.users.new')}
        </Button>
      </Group>
      {users.error && <ApiErrorAlert error={users.error} />}
      {toggleActive.error && <ApiErrorAlert error={toggleActive.error} />}
      <Table striped highlightOnHover withTableBorder verticalSpacing="xs">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('admin.users.login')}</Table.Th>
            <Table.Th>{t('admin.users.name')}</Table.Th>
            <Table.Th>{t('admin.users.role')}</Table.Th>
            <Table.Th>{t('admin.users.scope')}</Table.Th>
            <Table.Th>{t('admin.users.server')}</Table.Th>
            <Table.Th>{t('admin.users.status')}</Table.Th>
            <Table.Th />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {visible.map((user) => (
            <Table.Tr
              key={user.id}
              data-testid="user-row"
              data-login={user.login}
              opacity={user.active ? 1 : 0.6}
            >
              <Table.Td ff="monospace">{user.login}</Table.Td>
              <Table.Td>{user.displayName || '—'}</Table.Td>
              <Table.Td>
                <Badge color={ROLE_COLORS[user.role]} miw="fit-content">
                  {t(`roles.${user.role}`)}
                </Badge>
              </Table.Td>
              <Table.Td>
                {user.role === 'operator'
                  ? user.endpoint
                    ? t('shell.endpoint', { endpoint: user.endpoint })
                    : t('admin.users.noEndpoint')
                  : user.role === 'supervisor'
                    ? user.queues.join(', ') || t('admin.users.noQueues')
                    : t('admin.users.allCalls')}
              </Table.Td>
              <Table.Td>{user.serverId}</Table.Td>
              <Table.Td>
                {user.active ? (
                  <Badge color="teal">{t('admin.users.activeBadge')}</Badge>
                ) : (
                  <Badge color="gray">{t('admin.users.inactiveBadge')}</Badge>
                )}
              </Table.Td>
              <Table.Td>
                <Group gap={4} justify="flex-end" wrap="nowrap">
                  <Button size="compact-sm" variant="subtle" onClick={() => setEditing(user)}>
                    {t('actions.edit')}
                  </Button>
                  <Button size="compact-sm" variant="subtle" onClick={() => setResetting(user)}>
                    {t('admin.users.resetPassword')}
                  </Button>
                  <Button
                    size="compact-sm"
                    variant="subtle"
                    color={user.active ? 'red' : 'teal'}
                    onClick={() => toggleActive.mutate(user)}
                  >
                    {user.active ? t('admin.users.deactivate') : t('admin.users.activate')}
                  </Button>
                </Group>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <Modal
        opened={editing !== null}
        onClose={() => {
          setEditing(null);
          save.reset();
        }}
        title={
          editing === 'new' ? t('admin.users.new') : t('admin.users.edit', { login: editing?.login ?? '' })
        }
      >
        {save.error && <ApiErrorAlert error={save.error} />}
        {editing !== null && (
          <UserForm
            key={editing === 'new' ? 'new' : editing.id}
            user={editing === 'new' ? null : editing}
            onSubmit={(values) => save.mutateAsync(values).catch(() => {})}
            onCancel={() => setEditing(null)}
          />
        )}
      </Modal>
      <Modal
        opened={resetting !== null}
        onClose={() => setResetting(null)}
        title={t('admin.users.resetTitle', { login: resetting?.login ?? '' })}
      >
        {resetting && <ResetPasswordForm user={resetting} onDone={() => setResetting(null)} />}
      </Modal>
    </Stack>
  );
}
