import { TeamOutlined } from '@ant-design/icons';
import { screen } from '../parts/lazy-screen';
import type { ConsoleSection } from '../section';

/** Staff accounts: the api lets city admins change them and auditors read them (county admins neither). */
export const staffSection: ConsoleSection = {
  key: 'staff',
  labelKey: 'menu',
  icon: <TeamOutlined />,
  roles: ['city_admin', 'auditor'],
  routes: [{ index: true, lazy: screen(() => import('./staff-accounts')) }],
};
