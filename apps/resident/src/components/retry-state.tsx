import { Button } from 'antd-mobile';
import { useTranslation } from 'react-i18next';
import { isApiProblem } from '@quan/web-api';
import { problemMessage } from '@quan/web-core';

/** What a screen shows when its data could not be loaded: never a blank page or a raw error, always a retry. */
export function RetryState({ error, onRetry }: { error: unknown; onRetry: () => void }) {
  const { t } = useTranslation();
  const down = !isApiProblem(error) || error.code === 'NETWORK' || error.status >= 500;
  return (
    <section className="q-card q-stack" role="alert" aria-live="assertive">
      <h2>{down ? t('resident:errors.down') : t('resident:errors.title')}</h2>
      <p>{isApiProblem(error) && !down ? problemMessage(error, t) : t('resident:errors.downHint')}</p>
      <Button color="primary" block size="large" onClick={onRetry}>
        {t('resident:errors.retry')}
      </Button>
    </section>
  );
}
