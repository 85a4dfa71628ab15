import { Button } from 'antd-mobile';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router';
import { formatDateTime } from '@quan/web-core';
import { Figures } from '../components/figures';
import { QueryState } from '../components/query-state';
import { QuoteLines } from '../components/quote-lines';
import type { Redemption } from '../runtime';
import { useToday } from '../today-query';

/** The receipt after a redemption: from the confirm's answer, or (after a reload) from today's list. */
export function Component() {
  const { t, i18n } = useTranslation('till');
  const { id = '' } = useParams();
  const navigate = useNavigate();
  const answered = useQueryClient().getQueryData<Redemption>(['redemption', id]);
  const today = useToday();
  const redemption = answered ?? today.data?.items.find((each) => each.id === id);
  if (!redemption) return <QueryState error={today.error} retry={() => void today.refetch()} />;
  return (
    <section className="q-card q-stack q-receipt">
      <h2 className="q-ok-title">✓ {t('receipt.title')}</h2>
      <QuoteLines quote={redemption} />
      <Figures
        rows={[
          [t('receipt.at'), formatDateTime(redemption.redeemedAt, i18n.language)],
          [t('receipt.id'), redemption.id.slice(0, 8)],
        ]}
      />
      <Button color="primary" block size="large" onClick={() => navigate('/')}>
        {t('receipt.next')}
      </Button>
      <Button block onClick={() => navigate('/today')}>
        {t('receipt.today')}
      </Button>
    </section>
  );
}
