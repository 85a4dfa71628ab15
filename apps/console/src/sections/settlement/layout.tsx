import { Space, Tabs, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Navigate, Outlet, useLocation, useNavigate } from 'react-router';
import { useAllowed } from '../../access';
import { RECONCILIATION_READERS, STATEMENT_READERS } from './roles';

function useVisibleTabs(): ('statements' | 'payouts' | 'reconciliation')[] {
  const statements = useAllowed(STATEMENT_READERS);
  const reconciliation = useAllowed(RECONCILIATION_READERS);
  return [
    ...(statements ? (['statements', 'payouts'] as const) : []),
    ...(reconciliation ? (['reconciliation'] as const) : []),
  ];
}

/** The settlement section's frame: a tab per part the role may read. */
export function Component() {
  const { t } = useTranslation('settlement');
  const navigate = useNavigate();
  const { pathname } = useLocation();
  const tabs = useVisibleTabs();
  const active = tabs.find((tab) => pathname.includes(`/settlement/${tab}`));
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Typography.Title level={2}>{t('title')}</Typography.Title>
      <Tabs
        activeKey={active}
        onChange={(key) => navigate(key)}
        items={tabs.map((key) => ({ key, label: t(`tabs.${key}`) }))}
      />
      <Outlet />
    </Space>
  );
}

/** The first part the role may read. */
export function FirstTab() {
  const [first] = useVisibleTabs();
  return first ? <Navigate to={first} replace /> : null;
}
