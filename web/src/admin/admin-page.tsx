import { Tabs } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Outlet, useLocation, useNavigate } from 'react-router';
import { PageHeader } from '../ui/page-header.tsx';
import { ADMIN_TABS } from './admin-tabs.ts';

/** Administration (`/admin/<tab>`, admins only): users, dictionaries, queues, archive, data quality. */
export function AdminPage() {
  const { t } = useTranslation();
  const location = useLocation();
  const navigate = useNavigate();
  const current = ADMIN_TABS.find((tab) => location.pathname.startsWith(`/admin/${tab.id}`))?.id ?? null;
  return (
    <>
      <PageHeader title={t('admin.title')} subtitle={t('admin.subtitle')} />
      <Tabs
        value={current}
        onChange={(value) => value && navigate(`/admin/${value}`)}
        mb="md"
        keepMounted={false}
      >
        <Tabs.List>
          {ADMIN_TABS.map((tab) => (
            <Tabs.Tab key={tab.id} value={tab.id} data-testid={`admin-tab-${tab.id}`}>
              {t(tab.labelKey)}
            </Tabs.Tab>
          ))}
        </Tabs.List>
      </Tabs>
      <Outlet />
    </>
  );
}
