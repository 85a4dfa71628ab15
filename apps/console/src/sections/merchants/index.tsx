import { ShopOutlined } from '@ant-design/icons';
import { screen } from '../parts/lazy-screen';
import type { ConsoleSection } from '../section';

/** Merchant review and supervision: operators act, auditors read. */
export const merchantsSection: ConsoleSection = {
  key: 'merchants',
  labelKey: 'menu',
  icon: <ShopOutlined />,
  roles: ['city_admin', 'county_admin', 'auditor'],
  routes: [
    { index: true, lazy: screen(() => import('./merchant-list')) },
    { path: ':id', lazy: screen(() => import('./merchant-detail')) },
  ],
};
