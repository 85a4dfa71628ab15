import { TableOutlined } from '@ant-design/icons';
import { addSectionTexts } from '../../i18n';
import { registerSection } from '../registry';
import { en, zhCN } from './texts';

addSectionTexts('reports', { 'zh-CN': zhCN, en });

registerSection({
  key: 'reports',
  labelKey: 'reports:menu',
  icon: <TableOutlined />,
  roles: ['city_admin', 'county_admin', 'finance', 'auditor'],
  routes: [{ index: true, lazy: () => import('./leverage') }],
});
