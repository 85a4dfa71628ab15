import { AlertOutlined } from '@ant-design/icons';
import { addSectionTexts } from '../../i18n';
import '../parts';
import { screen } from '../parts/lazy-screen';
import { registerSection } from '../registry';
import { en, zhCN } from './texts';

addSectionTexts('risk', { 'zh-CN': zhCN, en });

/** Risk flags: city and county admins deal with them (county admins see their county's); finance and auditors read. */
registerSection({
  key: 'risk',
  labelKey: 'risk:menu',
  icon: <AlertOutlined />,
  roles: ['city_admin', 'county_admin', 'finance', 'auditor'],
  routes: [
    { index: true, lazy: screen(() => import('./inbox')) },
    { path: ':id', lazy: screen(() => import('./flag-detail')) },
  ],
});
