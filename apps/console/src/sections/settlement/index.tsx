import { AccountBookOutlined } from '@ant-design/icons';
import { addSectionTexts } from '../../i18n';
import '../parts';
import { screen } from '../parts/lazy-screen';
import { registerSection } from '../registry';
import { en, zhCN } from './texts';

addSectionTexts('settlement', { 'zh-CN': zhCN, en });

/** Settlement: finance acts (maker-checker, payouts); auditors read; city admins see the reconciliation and may run it. */
registerSection({
  key: 'settlement',
  labelKey: 'settlement:menu',
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
});
