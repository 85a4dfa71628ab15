import { Tooltip } from 'antd';
import { CheckCircleOutlined, CloseCircleOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { checkLicence } from './licence';
import { ToneTag } from '../parts/tone-tag';

/** The licence number with the result of its check-character test, and what the test does and does not prove. */
export function LicenceCheck({ licenceNo, detailed = false }: { licenceNo: string; detailed?: boolean }) {
  const { t } = useTranslation('merchants');
  const check = checkLicence(licenceNo);
  const tag =
    check.kind === 'valid' ? (
      <ToneTag tone="ok" icon={<CheckCircleOutlined />}>
        {t('licence.valid')}
      </ToneTag>
    ) : (
      <ToneTag tone="bad" icon={<CloseCircleOutlined />}>
        {check.kind === 'invalid' ? t('licence.invalid', { expected: check.expected }) : t('licence.malformed')}
      </ToneTag>
    );
  return (
    <span>
      <code>{licenceNo}</code> <Tooltip title={t('licence.explain')}>{tag}</Tooltip>
      {detailed && check.kind === 'valid' && <span> {t('licence.division', { code: check.division })}</span>}
      {detailed && <div className="q-console-muted">{t('licence.explain')}</div>}
    </span>
  );
}
