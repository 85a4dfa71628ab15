import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { ok } from '@quan/web-api';
import { formatFen } from '@quan/web-core';
import { Figures } from '../components/figures';
import { QueryState } from '../components/query-state';
import { api } from '../runtime';
import { PayoutTag } from './statements';

/** One statement: its total, its payout (with the transfer reference the bank shows) and its lines. */
export function Component() {
  const { t } = useTranslation('till');
  const { id = '' } = useParams();
  const statement = useQuery({
    queryKey: ['statement', id],
    queryFn: () => ok(api.GET('/api/v1/settlement/statements/{id}', { params: { path: { id } } })),
  });
  if (!statement.data) return <QueryState error={statement.error} retry={() => void statement.refetch()} />;
  const s = statement.data;
  return (
    <>
      <Link to="/statements" className="q-link">
        ← {t('statements.back')}
      </Link>
      <section className="q-card q-stack">
        <h2>
          {t('statements.day')} {s.businessDay}
        </h2>
        <Figures
          rows={[
            [t('statements.total'), formatFen(s.totalFen), true],
            ...(s.payout ? [[t('statements.reference'), s.payout.reference] as [string, string]] : []),
          ]}
        />
        <p>
          <span className="q-tag">{t(`statements.status.${s.status}`)}</span> <PayoutTag statement={s} />
        </p>
      </section>
      <section className="q-card">
        <h3>{t('statements.lines')}</h3>
        <ul className="q-list">
          {s.lines.map((line) => (
            <li key={`${line.kind}-${line.redemptionId}`} className="q-row">
              <span>
                {t(`statements.${line.kind}`)} · {line.redemptionDay}
              </span>
              <span>{formatFen(line.amountFen)}</span>
            </li>
          ))}
        </ul>
      </section>
    </>
  );
}
