import { AuditOutlined } from '@ant-design/icons';
import { screen } from '../parts/lazy-screen';
import type { ConsoleSection } from '../section';

/** The audit log and its chain head, read by auditors and city admins. */
export const auditSection: ConsoleSection = {
  key: 'audit',
  labelKey: 'menu',
  icon: <AuditOutlined />,
  roles: ['auditor', 'city_admin'],
  routes: [{ index: true, lazy: screen(() => import('./audit-log')) }],
};
