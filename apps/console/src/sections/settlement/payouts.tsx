import { useState } from 'react';
import { Input, Space, Table } from 'antd';
import { useTranslation } from 'react-i18next';
import { formatDateTime, formatFen } from '@quan/web-core';
import { useAllowed } from '../../access';
import { ConfirmAction } from '../parts/confirm-action';
import { useListParams } from '../parts/paging';
import { ProblemAlert } from '../parts/problem';
import { FINANCE } from './roles';
import { useCreateBatch, usePayoutBatches, type PayoutBatchItem } from './queries';
import { ToneTag } from '../parts/tone-tag';
import { RouteLink } from '../parts/route-link';

const BATCH_TONES = { pending: 'info', completed: 'ok' } as const;

/** Payout batches, newest first; finance makes the next one from the approved statements not yet paid. */
export function Component() {
  const { t, i18n } = useTranslation('settlement');
  const { offset, limit, pagination } = useListParams([]);
  const batches = usePayoutBatches(offset, limit);
  const create = useCreateBatch();
  const finance = useAllowed(FINANCE);
  const [throughDay, setThroughDay] = useState('');
  const columns = [
    {
      key: 'created',
      title: t('payouts.created'),
      render: (_: unknown, b: PayoutBatchItem) => (
        <RouteLink to={b.id}>{formatDateTime(b.createdAt, i18n.language)}</RouteLink>
      ),
    },
    {
      key: 'status',
      title: t('statements.status'),
      render: (_: unknown, b: PayoutBatchItem) => (
        <ToneTag tone={BATCH_TONES[b.status]}>{t(`batchStatus.${b.status}`)}</ToneTag>
      ),
    },
    {
      key: 'total',
      title: t('payouts.total'),
      align: 'right' as const,
      render: (_: unknown, b: PayoutBatchItem) => formatFen(b.totalFen),
    },
    { key: 'transfers', title: t('payouts.transfers'), align: 'right' as const, dataIndex: 'transferCount' },
    {
      key: 'counts',
      title: t('payouts.status'),
      render: (_: unknown, b: PayoutBatchItem) =>
        t('payouts.counts', { pending: b.pendingCount, paid: b.paidCount, failed: b.failedCount }),
    },
  ];
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      {finance && (
        <Space wrap>
          <label>
            {t('payouts.through')}{' '}
            <Input
              type="date"
              style={{ width: 180 }}
              value={throughDay}
              onChange={(e) => setThroughDay(e.target.value)}
            />
          </label>
          <ConfirmAction
            type="primary"
            label={t('payouts.create')}
            description={t('payouts.createWhat', {
              through: throughDay ? t('payouts.throughDay', { day: throughDay }) : t('payouts.throughAll'),
            })}
            onConfirm={() => create.mutateAsync(throughDay || undefined)}
          />
        </Space>
      )}
      <ProblemAlert error={batches.error} />
      <Table<PayoutBatchItem>
        rowKey="id"
        columns={columns}
        dataSource={batches.data?.items}
        loading={batches.isFetching}
        locale={{ emptyText: t('payouts.empty') }}
        pagination={pagination(batches.data?.total)}
      />
    </Space>
  );
}
