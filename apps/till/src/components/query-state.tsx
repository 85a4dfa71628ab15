import { Button } from 'antd-mobile';
import { useTranslation } from 'react-i18next';
import { ApiProblem } from '@quan/web-api';
import { problemMessage } from '@quan/web-core';

/** Loading and failure of a screen's read, the same on every screen. */
export function QueryState({ error, retry }: { error: unknown; retry: () => void }) {
  const { t } = useTranslation('till');
  if (!error) return <p className="q-muted">{t('common.loading')}</p>;
  return (
    <section className="q-card q-stack" role="alert">
      <p className="q-note q-bad">{problemMessage(ApiProblem.from(error), t)}</p>
      <Button onClick={retry}>{t('common.retry')}</Button>
    </section>
  );
}
