import { useQuery } from '@tanstack/react-query';
import { Tag } from 'antd-mobile';
import { useTranslation } from 'react-i18next';
import { ok, serverClock } from '@quan/web-api';
import { formatCountdown, formatDateTime } from '@quan/web-core';
import { ClaimButton } from '../components/claim-button';
import { LotteryPanel } from '../components/lottery-panel';
import { QueryView } from '../components/query-view';
import { RuleLines } from '../components/rule-lines';
import { useServerTime } from '../components/server-time';
import { api } from '../runtime';
import type { Round } from '../types';

/**
 * A page left open before an opening asks for the rounds at most once per POLL_MS, whatever the number of
 * rounds, and not at all while the tab is hidden: a million open pages are at most 100,000 requests a second,
 * answered from the api's catalogue cache. The countdown runs on the server's clock, learnt from each round's
 * `serverTime` (and the answers' Date headers). A round not yet open says when to ask again (`pollAfterMs`:
 * just after its opening, at a moment the api spreads), so the page has the open round's stock within a second
 * of the opening without polling faster meanwhile. A failed poll is not retried sooner: the next interval is
 * its retry, so an overloaded api is not asked more often than a healthy one.
 */
export const POLL_MS = 10_000;
/** The soonest a page asks again, however soon a round opens. */
const MIN_POLL_MS = 250;

/** The next poll: POLL_MS, or sooner when a round asks for it. */
export function nextPollMs(rounds: Round[] | undefined): number {
  const asked = (rounds ?? []).map((round) => round.pollAfterMs).filter((ms): ms is number => ms !== null);
  return Math.max(MIN_POLL_MS, Math.min(POLL_MS, ...asked));
}

export function useRounds() {
  return useQuery({
    queryKey: ['rounds'],
    queryFn: async () => {
      const sentAt = Date.now();
      const rounds = await ok(api.GET('/api/v1/rounds', { params: { query: { status: ['open', 'upcoming'] } } }));
      if (rounds[0]) serverClock.observeExact(rounds[0].serverTime, sentAt, Date.now());
      return rounds;
    },
    refetchInterval: (query) => nextPollMs(query.state.data),
    refetchOnWindowFocus: false,
    refetchOnReconnect: false,
    retry: false,
    staleTime: POLL_MS,
  });
}

function RoundCard({ round }: { round: Round }) {
  const { t, i18n } = useTranslation('resident');
  const opensAt = Date.parse(round.opensAt);
  const closesAt = Date.parse(round.closesAt);
  const now = useServerTime(opensAt, closesAt);
  const open = now >= opensAt && now < closesAt;
  const headingId = `round-${round.id}`;
  return (
    <section className="q-card" aria-labelledby={headingId}>
      <div className="q-row">
        <h3 id={headingId}>
          {round.campaignName} · {round.name}
        </h3>
        <Tag color={open ? 'danger' : 'default'}>{open ? t('rounds.open') : t('rounds.upcoming')}</Tag>
      </div>
      <p className="q-muted">
        {open
          ? t('rounds.closesAt', { time: formatDateTime(round.closesAt, i18n.language) })
          : t('rounds.opensAt', { time: formatDateTime(round.opensAt, i18n.language) })}
      </p>
      {!open && now < opensAt && (
        <p>
          {t('rounds.opensIn')}{' '}
          <span className="q-countdown" role="timer" aria-live="off">
            {formatCountdown(opensAt - now)}
          </span>
        </p>
      )}
      {round.offers.map((offer) => (
        <div key={offer.id} className="q-stack" style={{ marginTop: 12 }}>
          <div className="q-row">
            <strong>{offer.name}</strong>
            {offer.remaining === 0 ? (
              <Tag color="default">{t('rounds.soldOutTag')}</Tag>
            ) : (
              <span>{t('rounds.left', { remaining: offer.remaining, stock: offer.stock })}</span>
            )}
          </div>
          <div className="q-muted">{t('rounds.pack')}</div>
          {offer.vouchers.map((voucher) => (
            <RuleLines key={voucher.voucherTypeId} rule={voucher} quantity={voucher.quantity} />
          ))}
          {round.mode !== 'lottery' && <ClaimButton round={round} offer={offer} now={now} />}
        </div>
      ))}
      {round.mode === 'lottery' && <LotteryPanel round={round} now={now} />}
    </section>
  );
}

export function Component() {
  const { t } = useTranslation('resident');
  const rounds = useRounds();
  return (
    <>
      <h2>{t('rounds.title')}</h2>
      <QueryView query={rounds}>
        {(list) =>
          list.length === 0 ? (
            <p className="q-card">{t('rounds.empty')}</p>
          ) : (
            list.map((round) => <RoundCard key={round.id} round={round} />)
          )
        }
      </QueryView>
    </>
  );
}
