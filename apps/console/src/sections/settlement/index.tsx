import { AccountBookOutlined } from '@ant-design/icons';
import { screen } from '../parts/lazy-screen';
import type { ConsoleSection } from '../section';

/** Settlement: finance acts (maker-checker, payouts); auditors read; city admins see the reconciliation and may run it. */
export const settlementSection: ConsoleSection = {
  key: 'settlement',
  labelKey: 'menu',
  icon: <AccountBookOutlined />,
  roles: ['finance', 'auditor', 'city_admin'],
  routes: [
    {
      lazy: screen(() => import('./layout')),
      children: [
        { index: true, lazy: async () => ({ Component: (await import('./layout')).FirstTab }) },
        { path: 'statements', lazy: screen(() => import('./statements')) },
        { path: 'statements/:id', lazy: screen(() => import('./statement-detail')) },
        { path: 'payouts', lazy: screen(() => import('./payouts')) },
        { path: 'payouts/:id', lazy: screen(() => import('./payout-batch')) },
        { path: 'reconciliation', lazy: screen(() => import('./reconciliation')) },
      ],
    },
  ],
};
