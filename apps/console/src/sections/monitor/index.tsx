import { LineChartOutlined } from '@ant-design/icons';
import { addSectionTexts } from '../../i18n';
import { registerSection } from '../registry';
import { en, zhCN } from './texts';

addSectionTexts('monitor', { 'zh-CN': zhCN, en });

/** The live round monitor: /console/monitor/ picks a campaign, /console/monitor/<campaignId> watches its rounds. */
registerSection({
  key: 'monitor',
  labelKey: 'monitor:menu',
  icon: <LineChartOutlined />,
  roles: ['city_admin', 'county_admin', 'auditor'],
  routes: [
    { index: true, lazy: () => import('./monitor-screen') },
    { path: ':campaignId', lazy: () => import('./monitor-screen') },
  ],
});
