import { Space } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Statement } from './queries';
import { ToneTag } from '../parts/tone-tag';

const STATUS_TONES = { open: 'none', submitted: 'info', approved: 'ok' } as const;
const PAYOUT_TONES = { pending: 'info', paid: 'ok', failed: 'bad' } as const;

/** A statement's maker-checker status and, once it is in a batch, its payout state. */
export function StatementStatusTag({ statement }: { statement: Statement }) {
  const { t } = useTranslation('settlement');
  return (
    <Space size={4} wrap>
      <ToneTag tone={STATUS_TONES[statement.status]}>{t(`status.${statement.status}`)}</ToneTag>
      {statement.payout && (
        <ToneTag tone={PAYOUT_TONES[statement.payout.status]}>{t(`payout.${statement.payout.status}`)}</ToneTag>
      )}
    </Space>
  );
}
