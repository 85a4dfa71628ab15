import { useTranslation } from 'react-i18next';
import { ToneTag, type Tone } from '../parts/tone-tag';
import type { Flag } from './queries';

const SEVERITY_TONE: Record<Flag['severity'], Tone> = { high: 'bad', medium: 'warn', low: 'none' };
const STATUS_TONE: Record<Flag['status'], Tone> = { open: 'bad', clearing: 'warn', cleared: 'ok', confirmed: 'info' };

export function SeverityTag({ flag }: { flag: Flag }) {
  const { t } = useTranslation('risk');
  return <ToneTag tone={SEVERITY_TONE[flag.severity]}>{t(`severity.${flag.severity}`)}</ToneTag>;
}

export function StatusTag({ flag }: { flag: Flag }) {
  const { t } = useTranslation('risk');
  return <ToneTag tone={STATUS_TONE[flag.status]}>{t(`status.${flag.status}`)}</ToneTag>;
}
