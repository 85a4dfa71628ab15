import { Space, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Statement } from './queries';

const STATUS_COLOURS = { open: 'default', submitted: 'processing', approved: 'success' } as const;
const PAYOUT_COLOURS = { pending: 'processing', paid: 'success', failed: 'error' } as const;

/** A statement's maker-checker status and, once it is in a batch, its payout state. */
export function StatementStatusTag({ statement }: { statement: Statement }) {
  const { t } = useTranslation('settlement');
  return (
    <Space size={4} wrap>
      <Tag color={STATUS_COLOURS[statement.status]}>{t(`status.${statement.status}`)}</Tag>
      {statement.payout && <Tag color={PAYOUT_COLOURS[statement.payout.status]}>{t(`payout.${statement.payout.status}`)}</Tag>}
    </Space>
  );
}
