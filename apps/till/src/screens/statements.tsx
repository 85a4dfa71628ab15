import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ok, type components } from '@quan/web-api';
import { formatFen } from '@quan/web-core';
import { QueryState } from '../components/query-state';
import { api } from '../runtime';

export type Statement = components['schemas']['StatementDto'];

/** The payout of a statement in words: not yet in a batch, paying, paid, failed. */
export function PayoutTag({ statement }: { statement: Statement }) {
  const { t } = useTranslation('till');
  return <span className="q-tag">{t(`statements.payout.${statement.payout?.status ?? 'none'}`)}</span>;
}

/** The merchant admin's settlement statements, newest business day first, each with its payout. */
export function Component() {
  const { t } = useTranslation('till');
  const statements = useQuery({
    queryKey: ['statements'],
    queryFn: () => ok(api.GET('/api/v1/settlement/statements', {})),
  });
  if (!statements.data) return <QueryState error={statements.error} retry={() => void statements.refetch()} />;
  return (
    <>
      <h2>{t('statements.title')}</h2>
      {statements.data.items.length === 0 && <p className="q-card q-muted">{t('statements.empty')}</p>}
      <ul className="q-list">
        {statements.data.items.map((statement) => (
          <li key={statement.id} className="q-card">
            <Link to={`/statements/${statement.id}`} className="q-row q-plain">
              <strong>{statement.businessDay}</strong>
              <span>{formatFen(statement.totalFen)}</span>
            </Link>
            <div className="q-row q-muted">
              <span>{t('statements.count', { n: statement.redemptionCount, m: statement.adjustmentCount })}</span>
              <span>
                <span className="q-tag">{t(`statements.status.${statement.status}`)}</span>{' '}
                <PayoutTag statement={statement} />
              </span>
            </div>
          </li>
        ))}
      </ul>
    </>
  );
}
