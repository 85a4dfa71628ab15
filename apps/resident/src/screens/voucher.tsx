import { useEffect, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { DotLoading } from 'antd-mobile';
import { QRCodeSVG } from 'qrcode.react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { ApiProblem, ok, serverNow } from '@quan/web-api';
import { formatDateTime, formatFen, problemMessage } from '@quan/web-core';
import { QueryView } from '../components/query-view';
import { RuleLines } from '../components/rule-lines';
import { queryClient } from '../query';
import { api } from '../runtime';
import type { QrToken, VoucherDetail, VoucherEvent } from '../types';

/** Renew this long before the token expires (tokens live at most 60 s), or at 3/4 of a shorter life. */
const RENEW_AHEAD_MS = 15_000;
/** After a failed renewal, try again this soon. */
const RETRY_MS = 3000;
/** Answers meaning the voucher can no longer be shown: stop renewing and reload its state. */
const FINAL = new Set([
  'ALREADY_REDEEMED',
  'VOUCHER_EXPIRED',
  'VOUCHER_REVOKED',
  'VOUCHER_NOT_FOUND',
  'VOUCHER_NOT_YET_VALID',
]);

/**
 * The pay code: a fresh token before the last one expires, with nothing for the resident to do. A token past
 * its expiry is never left on screen (a cashier would only get TOKEN_EXPIRED).
 */
function PayCode({ voucherId }: { voucherId: string }) {
  const { t } = useTranslation('resident');
  const [qr, setQr] = useState<QrToken>();
  const [problem, setProblem] = useState<ApiProblem>();
  const [, setExpiredTick] = useState(0);

  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    let expiry: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;
    const schedule = (ms: number) => {
      timer = setTimeout(() => void renew(), ms);
    };
    async function renew(): Promise<void> {
      if (stopped) return;
      if (document.hidden) return; // renewed on return (visibilitychange)
      try {
        const token = await ok(api.POST('/api/v1/me/vouchers/{id}/qr', { params: { path: { id: voucherId } } }));
        if (stopped) return;
        setQr(token);
        setProblem(undefined);
        const life = Date.parse(token.expiresAt) - serverNow();
        schedule(Math.max(1000, Math.min(life - RENEW_AHEAD_MS, life * 0.75)));
        // Take the code off the screen the moment it expires, should renewal keep failing.
        clearTimeout(expiry);
        expiry = setTimeout(() => setExpiredTick((n) => n + 1), Math.max(0, life));
      } catch (error) {
        if (stopped) return;
        const caught = ApiProblem.from(error);
        setProblem(caught);
        if (FINAL.has(caught.code)) {
          void queryClient.invalidateQueries({ queryKey: ['voucher', voucherId] });
          void queryClient.invalidateQueries({ queryKey: ['vouchers'] });
          return;
        }
        schedule(RETRY_MS);
      }
    }
    const onVisible = () => {
      if (!document.hidden) {
        clearTimeout(timer);
        void renew();
      }
    };
    document.addEventListener('visibilitychange', onVisible);
    void renew();
    return () => {
      stopped = true;
      clearTimeout(timer);
      clearTimeout(expiry);
      document.removeEventListener('visibilitychange', onVisible);
    };
  }, [voucherId]);

  const live = qr && Date.parse(qr.expiresAt) > serverNow();
  return (
    <section className="q-card q-stack" aria-labelledby="paycode">
      <h3 id="paycode">{t('voucher.qrTitle')}</h3>
      <p>{t('voucher.qrHint')}</p>
      <div className="q-qr">
        {live ? (
          <QRCodeSVG
            value={qr.token}
            size={232}
            level="M"
            marginSize={4}
            role="img"
            aria-label={t('voucher.qrLabel')}
            data-expires-at={qr.expiresAt}
          />
        ) : (
          <p role="status">
            {t('voucher.renewing')} <DotLoading />
          </p>
        )}
      </div>
      {problem && !live && <p className="q-note q-bad">{problemMessage(problem, t)}</p>}
    </section>
  );
}

function EventLine({ event }: { event: VoucherEvent }) {
  const { t, i18n } = useTranslation('resident');
  const what = {
    claimed: t('voucher.claimed'),
    redeemed: t('voucher.redeemed'),
    reversed: t('voucher.reversed'),
    expired: t('voucher.expiredEvent'),
  }[event.kind];
  return (
    <li>
      <strong>{what}</strong> {formatDateTime(event.at, i18n.language)}
      {event.merchantName && <div>{event.merchantName}</div>}
      {event.orderAmountFen !== null && event.discountFen !== null && (
        <div className="q-muted">
          {t('voucher.order', { amount: formatFen(event.orderAmountFen), discount: formatFen(event.discountFen) })}
        </div>
      )}
    </li>
  );
}

function Detail({ voucher }: { voucher: VoucherDetail }) {
  const { t, i18n } = useTranslation('resident');
  const unusable =
    voucher.status !== 'claimed' ? voucher.status : Date.parse(voucher.validFrom) > serverNow() ? 'notYet' : undefined;
  return (
    <>
      <section className="q-card">
        <h2>{voucher.name}</h2>
        <p className="q-muted">{voucher.campaignName}</p>
        <RuleLines
          rule={voucher}
          validity={t('wallet.validUntil', { time: formatDateTime(voucher.validUntil, i18n.language) })}
        />
      </section>
      {unusable ? <p className="q-note">{t(`voucher.unusable.${unusable}`)}</p> : <PayCode voucherId={voucher.id} />}
      <section className="q-card">
        <h3>{t('voucher.shortCode')}</h3>
        <p className="q-code" aria-label={voucher.shortCode.split('').join(' ')}>
          {voucher.shortCode}
        </p>
      </section>
      <section className="q-card">
        <h3>{t('voucher.history')}</h3>
        {voucher.history.some((event) => event.kind !== 'claimed') ? (
          <ul className="q-stack">
            {voucher.history.map((event, i) => (
              <EventLine key={i} event={event} />
            ))}
          </ul>
        ) : (
          <p>{t('voucher.noHistory')}</p>
        )}
      </section>
    </>
  );
}

export function Component() {
  const { t } = useTranslation('resident');
  const { id = '' } = useParams();
  const voucher = useQuery({
    queryKey: ['voucher', id],
    queryFn: () => ok(api.GET('/api/v1/me/vouchers/{id}', { params: { path: { id } } })),
  });
  return (
    <>
      <Link className="q-link" to="/wallet">
        ‹ {t('voucher.back')}
      </Link>
      <QueryView query={voucher}>{(detail) => <Detail voucher={detail} />}</QueryView>
    </>
  );
}
