import { useState } from 'react';
import { Alert, Card, Descriptions, Input, Space, Table, Tabs, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { businessDay } from '@quan/domain';
import type { components } from '@quan/web-api';
import { formatDateTime, formatFen } from '@quan/web-core';
import { useAllowed } from '../../access';
import { ProblemAlert } from '../parts/problem';
import { useReference } from '../parts/reference';
import { StatementStatusTag } from '../settlement/statement-status';
import { LicenceCheck } from './licence-check';
import { useMerchant, useMerchantRedemptions, useMerchantStatements } from './queries';
import { ReviewActions } from './review-actions';
import { MerchantStatusTag } from './status-tag';
import { ToneTag } from '../parts/tone-tag';
import { RouteLink } from '../parts/route-link';

type TrailEntry = components['schemas']['RedemptionTrailEntryDto'];
type Statement = components['schemas']['StatementDto'];

/** Who may read the redemption trail and the statements (the api's rules: county admins read neither). */
const TRAIL_READERS = ['city_admin', 'auditor'] as const;
const STATEMENT_READERS = ['finance', 'auditor'] as const;

/** One business day of the merchant's redemptions, with who redeemed and who reversed. */
function Redemptions({ merchantId }: { merchantId: string }) {
  const { t, i18n } = useTranslation('merchants');
  const [day, setDay] = useState(() => businessDay(new Date()));
  const trail = useMerchantRedemptions(merchantId, day);
  const money = (fen: number) => formatFen(fen);
  const columns = [
    {
      key: 'at',
      title: t('detail.redemptionColumns.at'),
      render: (_: unknown, r: TrailEntry) => formatDateTime(r.redeemedAt, i18n.language),
    },
    { key: 'by', title: t('detail.redemptionColumns.cashier'), render: (_: unknown, r: TrailEntry) => r.by.username },
    {
      key: 'order',
      title: t('detail.redemptionColumns.order'),
      align: 'right' as const,
      render: (_: unknown, r: TrailEntry) => money(r.orderAmountFen),
    },
    {
      key: 'discount',
      title: t('detail.redemptionColumns.discount'),
      align: 'right' as const,
      render: (_: unknown, r: TrailEntry) => money(r.discountFen),
    },
    {
      key: 'subsidy',
      title: t('detail.redemptionColumns.subsidy'),
      align: 'right' as const,
      render: (_: unknown, r: TrailEntry) => money(r.subsidyFen),
    },
    {
      key: 'reversal',
      title: t('detail.redemptionColumns.reversal'),
      render: (_: unknown, r: TrailEntry) =>
        r.reversal && (
          <ToneTag tone="warn">
            {t('detail.reversedAt', { at: formatDateTime(r.reversal.at, i18n.language), by: r.reversal.by.username })}
          </ToneTag>
        ),
    },
  ];
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <label>
        {t('detail.day')}{' '}
        <Input
          type="date"
          style={{ width: 180 }}
          value={day}
          onChange={(e) => e.target.value && setDay(e.target.value)}
        />
      </label>
      <ProblemAlert error={trail.error} />
      <Table<TrailEntry>
        rowKey="redemptionId"
        size="small"
        columns={columns}
        dataSource={trail.data?.items}
        loading={trail.isFetching}
        locale={{ emptyText: t('detail.noRedemptions') }}
        pagination={false}
      />
    </Space>
  );
}

function Statements({ merchantId }: { merchantId: string }) {
  const { t } = useTranslation('merchants');
  const statements = useMerchantStatements(merchantId);
  const columns = [
    { key: 'day', title: t('detail.statementColumns.day'), dataIndex: 'businessDay' },
    {
      key: 'status',
      title: t('detail.statementColumns.status'),
      render: (_: unknown, s: Statement) => <StatementStatusTag statement={s} />,
    },
    {
      key: 'total',
      title: t('detail.statementColumns.total'),
      align: 'right' as const,
      render: (_: unknown, s: Statement) => formatFen(s.totalFen),
    },
    {
      key: 'count',
      title: t('detail.statementColumns.count'),
      align: 'right' as const,
      render: (_: unknown, s: Statement) => s.redemptionCount + s.adjustmentCount,
    },
  ];
  return (
    <>
      <ProblemAlert error={statements.error} />
      <Table<Statement>
        rowKey="id"
        size="small"
        columns={columns}
        dataSource={statements.data?.items}
        loading={statements.isFetching}
        pagination={false}
      />
    </>
  );
}

/** A merchant: what it stated, its licence check, the review actions its status allows, its redemptions and statements. */
export function Component() {
  const { id = '' } = useParams();
  const { t, i18n } = useTranslation('merchants');
  const reference = useReference();
  const merchant = useMerchant(id);
  const m = merchant.data;
  const trailReader = useAllowed(TRAIL_READERS);
  const statementReader = useAllowed(STATEMENT_READERS);
  const tabs = [
    trailReader && { key: 'redemptions', label: t('detail.redemptions'), children: <Redemptions merchantId={id} /> },
    statementReader && { key: 'statements', label: t('detail.statements'), children: <Statements merchantId={id} /> },
  ].filter((tab) => tab !== false);
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <RouteLink to="..">{t('detail.back')}</RouteLink>
      <ProblemAlert error={merchant.error} />
      {m && (
        <>
          <Space align="center" wrap>
            <Typography.Title level={2} style={{ margin: 0 }}>
              {m.name}
            </Typography.Title>
            <MerchantStatusTag status={m.status} />
          </Space>
          {m.statusReason && (
            <Alert
              type={m.status === 'approved' ? 'info' : 'warning'}
              title={`${t('detail.reason')}：${m.statusReason}`}
            />
          )}
          <Card title={t('licence.title')}>
            <LicenceCheck licenceNo={m.licenceNo} detailed />
          </Card>
          <Descriptions bordered column={2} size="small">
            <Descriptions.Item label={t('columns.county')}>{reference.countyName(m.countyCode)}</Descriptions.Item>
            <Descriptions.Item label={t('columns.category')}>
              {reference.categoryName(m.categoryCode)}
            </Descriptions.Item>
            <Descriptions.Item label={t('detail.address')}>{m.address}</Descriptions.Item>
            <Descriptions.Item label={t('detail.phone')}>{m.contactPhone ?? '—'}</Descriptions.Item>
            <Descriptions.Item label={t('detail.bank')}>{m.bankName}</Descriptions.Item>
            <Descriptions.Item label={t('detail.bankAccountName')}>{m.bankAccountName}</Descriptions.Item>
            <Descriptions.Item label={t('detail.bankAccountNo')}>{m.bankAccountNo}</Descriptions.Item>
            <Descriptions.Item label={t('detail.aboveQuota')}>
              {m.aboveQuota ? t('detail.yes') : t('detail.no')}
            </Descriptions.Item>
            <Descriptions.Item label={t('columns.applied')}>
              {formatDateTime(m.createdAt, i18n.language)}
            </Descriptions.Item>
            <Descriptions.Item label={t('detail.updated')}>
              {formatDateTime(m.updatedAt, i18n.language)}
            </Descriptions.Item>
          </Descriptions>
          <ReviewActions merchant={m} />
          {tabs.length > 0 && <Tabs items={tabs} />}
        </>
      )}
    </Space>
  );
}
