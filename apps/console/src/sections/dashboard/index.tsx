import { DashboardOutlined } from '@ant-design/icons';
import { addSectionTexts } from '../../i18n';
import { registerSection } from '../registry';
import { en, zhCN } from './texts';

addSectionTexts('dashboard', { 'zh-CN': zhCN, en });

registerSection({
  key: 'dashboard',
  labelKey: 'dashboard:menu',
  icon: <DashboardOutlined />,
  roles: ['city_admin', 'county_admin', 'finance', 'auditor'],
  routes: [{ index: true, lazy: () => import('./overview') }],
});
