import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { ok } from '@quan/web-api';
import { ReceiptView } from '../components/lottery-panel';
import { QueryView } from '../components/query-view';
import { api } from '../runtime';

/** A lottery registration's receipt, and after the draw whether it won: reachable after the round left the listing. */
export function Component() {
  const { t } = useTranslation('resident');
  const { roundId } = useParams<{ roundId: string }>();
  const receipt = useQuery({
    queryKey: ['registration', roundId],
    queryFn: () => ok(api.GET('/api/v1/me/registrations/{roundId}', { params: { path: { roundId: roundId! } } })),
  });
  return (
    <>
      <h2>{t('rounds.lotteryTitle')}</h2>
      <QueryView query={receipt}>
        {(mine) => (
          <section className="q-card">
            <ReceiptView receipt={mine} />
          </section>
        )}
      </QueryView>
    </>
  );
}
