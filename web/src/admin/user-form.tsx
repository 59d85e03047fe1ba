import { zodResolver } from '@hookform/resolvers/zod';
import { Button, Group, MultiSelect, PasswordInput, Select, Stack, Switch, TextInput } from '@mantine/core';
import { Controller, useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { useQueues } from '../ui/queue-time-zones.ts';
import { type AdminUser, ROLES, type Role } from './admin-api.ts';

/**
 * Create or edit a user, with the API's own rules checked before sending (api/src/routes/users/
 * user-schemas.ts: login 1-64 of letters, digits, . _ @ -; password ≥ 8; queues for supervisors
 * only; endpoint without spaces, / or ,). What the API still refuses (a taken login: 409) is shown
 * by the caller.
 */

const LOGIN = /^[A-Za-z0-9._@-]{1,64}$/;
const ENDPOINT = /^[^\s/,]{1,64}$/;

export const UserFormSchema = z
  .object({
    login: z.string().trim().regex(LOGIN, 'admin.users.loginRule'),
    displayName: z.string().trim().max(200),
    role: z.enum(ROLES as [Role, ...Role[]]),
    endpoint: z
      .string()
      .trim()
      .refine((v) => v === '' || ENDPOINT.test(v), 'admin.users.endpointRule'),
    queues: z.array(z.string()),
    password: z.string(),
    active: z.boolean(),
    creating: z.boolean(),
  })
  .superRefine((v, ctx) => {
    if (v.creating && v.password.length < 8) {
      ctx.addIssue({ code: 'custom', path: ['password'], message: 'admin.users.passwordRule' });
    }
    if (v.role !== 'supervisor' && v.queues.length > 0) {
      ctx.addIssue({ code: 'custom', path: ['queues'], message: 'admin.users.queuesRule' });
    }
    // Users who could do nothing are refused (the API refuses them too on creation).
    if (v.role === 'operator' && v.endpoint === '') {
      ctx.addIssue({ code: 'custom', path: ['endpoint'], message: 'admin.users.operatorNeedsEndpoint' });
    }
    if (v.role === 'supervisor' && v.queues.length === 0) {
      ctx.addIssue({ code: 'custom', path: ['queues'], message: 'admin.users.supervisorNeedsQueues' });
    }
  });
export type UserFormValues = z.infer<typeof UserFormSchema>;

export function userFormDefaults(user: AdminUser | null): UserFormValues {
  return {
    login: user?.login ?? '',
    displayName: user?.displayName ?? '',
    role: user?.role ?? 'operator',
    endpoint: user?.endpoint ?? '',
    queues: user?.queues ?? [],
    password: '',
    active: user?.active ?? true,
    creating: user === null,
  };
}

export function UserForm({
  user,
  onSubmit,
  onCancel,
}: {
  user: AdminUser | null;
  onSubmit(values: UserFormValues): Promise<unknown>;
  onCancel(): void;
}) {
  const { t } = useTranslation();
  const queues = useQueues();
  const form = useForm<UserFormValues>({
    resolver: zodResolver(UserFormSchema),
    defaultValues: userFormDefaults(user),
  });
  const role = form.watch('role');
  const err = (key: keyof UserFormValues) => {
    const message = form.formState.errors[key]?.message;
    return message ? t(message) : undefined;
  };
  const queueOptions = [
    ...new Set([...(queues.data ?? []).map((q) => q.name), ...form.getValues('queues')]),
  ].map((name) => ({ value: name, label: name }));

  return (
    <form
      onSubmit={form.handleSubmit(async (values) => void (await onSubmit(values)))}
      noValidate
      data-testid="user-form"
    >
      <Stack gap="sm">
        <TextInput
          label={t('admin.users.login')}
          disabled={user !== null}
          required
          data-autofocus
          error={err('login')}
          data-testid="user-login"
          {...form.register('login')}
        />
        <TextInput
          label={t('admin.users.name')}
          error={err('displayName')}
          {...form.register('displayName')}
        />
        <Controller
          control={form.control}
          name="role"
          render={({ field }) => (
            <Select
              label={t('admin.users.role')}
              required
              allowDeselect={false}
              data={ROLES.map((r) => ({ value: r, label: t(`roles.${r}`) }))}
              value={field.value}
              onChange={(value) => {
                field.onChange(value);
                if (value !== 'supervisor') form.setValue('queues', []);
              }}
              data-testid="user-role-select"
            />
          )}
        />
        {role === 'operator' && (
          <TextInput
            label={t('admin.users.endpoint')}
            description={t('admin.users.endpointHint')}
            placeholder="101"
            error={err('endpoint')}
            data-testid="user-endpoint"
            {...form.register('endpoint')}
          />
        )}
        {role === 'supervisor' && (
          <Controller
            control={form.control}
            name="queues"
            render={({ field }) => (
              <MultiSelect
                label={t('admin.users.queues')}
                description={t('admin.users.queuesHint')}
                data={queueOptions}
                value={field.value}
                onChange={field.onChange}
                searchable
                error={err('queues')}
              />
            )}
          />
        )}
        {user === null && (
          <PasswordInput
            label={t('admin.users.password')}
            required
            error={err('password')}
            data-testid="user-password"
            {...form.register('password')}
          />
        )}
        {user !== null && (
          <Controller
            control={form.control}
            name="active"
            render={({ field }) => (
              <Switch
                label={t('admin.users.active')}
                checked={field.value}
                onChange={(event) => field.onChange(event.currentTarget.checked)}
              />
            )}
          />
        )}
        <Group justify="flex-end" mt="sm">
          <Button variant="default" onClick={onCancel}>
            {t('actions.cancel')}
          </Button>
          <Button type="submit" loading={form.formState.isSubmitting} data-testid="user-save">
            {user === null ? t('actions.create') : t('actions.save')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
