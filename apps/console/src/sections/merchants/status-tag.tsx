import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { MerchantStatus } from './queries';

const COLOURS: Record<MerchantStatus, string> = { pending: 'processing', approved: 'success', rejected: 'default', suspended: 'warning' };

export function MerchantStatusTag({ status }: { status: MerchantStatus }) {
  const { t } = useTranslation('merchants');
  return <Tag color={COLOURS[status]}>{t(`status.${status}`)}</Tag>;
}
