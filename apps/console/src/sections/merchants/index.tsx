import { ShopOutlined } from '@ant-design/icons';
import { addSectionTexts } from '../../i18n';
import '../parts';
import { screen } from '../parts/lazy-screen';
import { registerSection } from '../registry';
import { en, zhCN } from './texts';

addSectionTexts('merchants', { 'zh-CN': zhCN, en });

/** Merchant review and supervision: operators act, auditors read. */
registerSection({
  key: 'merchants',
  labelKey: 'merchants:menu',
  icon: <ShopOutlined />,
  roles: ['city_admin', 'county_admin', 'auditor'],
  routes: [
    { index: true, lazy: screen(() => import('./merchant-list')) },
    { path: ':id', lazy: screen(() => import('./merchant-detail')) },
  ],
});
