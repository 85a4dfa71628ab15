import { AuditOutlined } from '@ant-design/icons';
import { addSectionTexts } from '../../i18n';
import '../parts';
import { screen } from '../parts/lazy-screen';
import { registerSection } from '../registry';
import { en, zhCN } from './texts';

addSectionTexts('audit', { 'zh-CN': zhCN, en });

/** The audit log and its chain head, read by auditors and city admins. */
registerSection({
  key: 'audit',
  labelKey: 'audit:menu',
  icon: <AuditOutlined />,
  roles: ['auditor', 'city_admin'],
  routes: [{ index: true, lazy: screen(() => import('./audit-log')) }],
});
