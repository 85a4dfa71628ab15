import { GiftOutlined } from '@ant-design/icons';
import { addSectionTexts } from '../../i18n';
import { registerSection } from '../registry';
import { en, zhCN } from './texts';

addSectionTexts('campaigns', { 'zh-CN': zhCN, en });

registerSection({
  key: 'campaigns',
  labelKey: 'campaigns:menu',
  icon: <GiftOutlined />,
  roles: ['city_admin', 'county_admin', 'auditor'],
  routes: [
    { index: true, lazy: () => import('./list') },
    { path: 'inbox', lazy: () => import('./inbox') },
    { path: 'new', lazy: () => import('./editor') },
    { path: ':id/edit', lazy: () => import('./editor') },
    { path: ':id', lazy: () => import('./detail') },
  ],
});
