import { useMemo, useState } from 'react';
import { Alert, Button, Card, List, Space, Spin, Typography } from 'antd';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { newIdempotencyKey, ok } from '@quan/web-api';
import { formatDate, formatFen } from '@quan/web-core';
import { useAccount } from '../../access';
import { ProblemAlert } from '../parts/problem';
import { RouteLink } from '../parts/route-link';
import {
  actingClient,
  openActingSession,
  useAssistedResident,
  useOpenRounds,
  type ActingSession,
  type AssistedResident,
  type VoucherDetail,
} from './queries';

/** The voucher on paper: what a cashier and the resident need, the short code in large type; the rest of the console is not printed. */
function PaperVoucher({
  voucher,
  resident,
  onClose,
}: {
  voucher: VoucherDetail;
  resident: AssistedResident;
  onClose: () => void;
}) {
  const { t, i18n } = useTranslation('agents');
  const account = useAccount();
  return (
    <div className="paper-voucher-page">
      <Space className="no-print">
        <Button type="primary" onClick={() => window.print()}>
          {t('printPage')}
        </Button>
        <Button onClick={onClose}>{t('closePrint')}</Button>
      </Space>
      <article className="paper-voucher" aria-label={t('paper.title')}>
        <h1>{t('paper.title')}</h1>
        <h2>{voucher.name}</h2>
        <dl>
          <dt>{t('paper.holder')}</dt>
          <dd>{resident.nameMasked}</dd>
          <dt>{t('paper.campaign')}</dt>
          <dd>{voucher.campaignName}</dd>
          <dt>{t('paper.rule')}</dt>
          <dd>
            {voucher.name}
            {voucher.thresholdFen > 0 && ` (${t('paper.threshold', { threshold: formatFen(voucher.thresholdFen) })})`}
            {voucher.categories.length > 0 && ` · ${voucher.categories.map((category) => category.name).join('、')}`}
          </dd>
          <dt>{t('paper.validity')}</dt>
          <dd>
            {formatDate(voucher.validFrom, i18n.language)} – {formatDate(voucher.validUntil, i18n.language)}
          </dd>
          <dt>{t('paper.shortCode')}</dt>
          <dd className="paper-voucher-code" data-testid="short-code">
            {voucher.shortCode}
          </dd>
        </dl>
        <p>{t('paper.howTo')}</p>
        <p>{t('paper.printedBy', { agent: account?.displayName ?? '' })}</p>
      </article>
    </div>
  );
}

/** Acting for one resident: open rounds to claim from, the resident's vouchers, and their paper copies. */
function Acting({ session, resident }: { session: ActingSession; resident: AssistedResident }) {
  const { t, i18n } = useTranslation('agents');
  const client = useMemo(() => actingClient(session), [session]);
  const rounds = useOpenRounds();
  const vouchers = useQuery({
    queryKey: ['acting', session.residentId, 'vouchers'],
    queryFn: () => ok(client.GET('/api/v1/me/vouchers')),
  });
  const [claimed, setClaimed] = useState<string>();
  const claim = useMutation({
    mutationFn: ({ roundId, offerId }: { roundId: string; offerId: string }) =>
      ok(
        client.POST('/api/v1/rounds/{roundId}/claims', {
          params: { path: { roundId }, header: { 'Idempotency-Key': newIdempotencyKey() } },
          body: { offerId },
        }),
      ),
    onSuccess: (result) => {
      setClaimed(t('claimed', { count: result.vouchers.length }));
      void vouchers.refetch();
    },
  });
  const print = useMutation({
    mutationFn: (id: string) => ok(client.POST('/api/v1/me/vouchers/{id}/prints', { params: { path: { id } } })),
  });
  if (print.data) return <PaperVoucher voucher={print.data} resident={resident} onClose={() => print.reset()} />;
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Alert
        type="info"
        title={t('sessionNote', {
          minutes: Math.round(session.expiresIn / 60),
          served: session.servedToday,
          quota: session.dailyQuota,
        })}
      />
      <Typography.Title level={3}>{t('rounds')}</Typography.Title>
      <ProblemAlert error={rounds.error ?? claim.error} />
      {claimed && <Typography.Text role="status">{claimed}</Typography.Text>}
      {rounds.data && rounds.data.length === 0 && <Typography.Text>{t('noRounds')}</Typography.Text>}
      {rounds.data?.map((round) => (
        <Card key={round.id} title={`${round.campaignName} · ${round.name}`} size="small">
          <List
            dataSource={round.offers}
            renderItem={(offer) => (
              <List.Item
                actions={[
                  <Button
                    key="claim"
                    type="primary"
                    loading={claim.isPending}
                    disabled={offer.remaining === 0}
                    autoInsertSpace={false}
                    aria-label={`${t('claim')} ${offer.name}`}
                    onClick={() => claim.mutate({ roundId: round.id, offerId: offer.id })}
                  >
                    {t('claim')}
                  </Button>,
                ]}
              >
                {offer.name} · {t('remaining', { count: offer.remaining })}
              </List.Item>
            )}
          />
        </Card>
      ))}
      <Typography.Title level={3}>{t('vouchers')}</Typography.Title>
      <ProblemAlert error={vouchers.error ?? print.error} />
      <List
        dataSource={vouchers.data ?? []}
        locale={{ emptyText: t('noVouchers') }}
        renderItem={(voucher) => (
          <List.Item
            actions={[
              <Button
                key="print"
                disabled={voucher.status !== 'claimed'}
                autoInsertSpace={false}
                aria-label={`${t('print')} ${voucher.name}`}
                onClick={() => print.mutate(voucher.id)}
              >
                {t('print')}
              </Button>,
            ]}
          >
            {voucher.name} · {t(`status.${voucher.status}`)} · {formatDate(voucher.validUntil, i18n.language)}
          </List.Item>
        )}
      />
    </Space>
  );
}

/** /console/agents/:residentId: the agent opens an acting session for the resident and serves them. */
export function Component() {
  const { t } = useTranslation('agents');
  const { residentId = '' } = useParams();
  const resident = useAssistedResident(residentId);
  const session = useQuery({
    queryKey: ['acting', residentId, 'session'],
    queryFn: () => openActingSession(residentId),
    // One session per visit: reopening counts nothing new today, but it is an audited act.
    staleTime: Infinity,
    gcTime: 0,
    retry: false,
  });
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <RouteLink to=".." relative="path" className="no-print">
        {t('back')}
      </RouteLink>
      <Typography.Title level={2} className="no-print">
        {t('serving', { name: resident.data?.nameMasked ?? '' })}
      </Typography.Title>
      <ProblemAlert error={resident.error ?? session.error} />
      {resident.data && session.data ? (
        <Acting session={session.data} resident={resident.data} />
      ) : (
        !session.error && <Spin />
      )}
    </Space>
  );
}
