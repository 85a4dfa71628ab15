import { useTranslation } from 'react-i18next';
import { ToneTag, type Tone } from '../parts/tone-tag';
import type { MerchantStatus } from './queries';

const TONES: Record<MerchantStatus, Tone> = { pending: 'info', approved: 'ok', rejected: 'none', suspended: 'warn' };

export function MerchantStatusTag({ status }: { status: MerchantStatus }) {
  const { t } = useTranslation('merchants');
  return <ToneTag tone={TONES[status]}>{t(`status.${status}`)}</ToneTag>;
}
