import { TeamOutlined } from '@ant-design/icons';
import { addSectionTexts } from '../../i18n';
import '../parts';
import { screen } from '../parts/lazy-screen';
import { registerSection } from '../registry';
import { en, zhCN } from './texts';

addSectionTexts('staff', { 'zh-CN': zhCN, en });

/** Staff accounts: the api lets city admins change them and auditors read them (county admins neither). */
registerSection({
  key: 'staff',
  labelKey: 'staff:menu',
  icon: <TeamOutlined />,
  roles: ['city_admin', 'auditor'],
  routes: [{ index: true, lazy: screen(() => import('./staff-accounts')) }],
});
