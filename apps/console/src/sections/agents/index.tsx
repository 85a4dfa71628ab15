import { SolutionOutlined } from '@ant-design/icons';
import { addSectionTexts } from '../../i18n';
import '../parts';
import { screen } from '../parts/lazy-screen';
import { registerSection } from '../registry';
import { en, zhCN } from './texts';

addSectionTexts('agents', { 'zh-CN': zhCN, en });

/**
 * Assisted claims (代领 / 助老): community agents register residents without a smartphone, claim and print for
 * them; county admins (and the city, auditors) see whom their agents served, and county admins create agents.
 */
registerSection({
  key: 'agents',
  labelKey: 'agents:menu',
  icon: <SolutionOutlined />,
  roles: ['community_agent', 'county_admin', 'city_admin', 'auditor'],
  routes: [
    { index: true, lazy: screen(() => import('./residents')) },
    { path: ':residentId', lazy: screen(() => import('./serve')) },
  ],
});
