import { Descriptions, Space, Table, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import type { components } from '@quan/web-api';
import { formatDateTime, formatFen } from '@quan/web-core';
import { useAccount } from '../../access';
import { ProblemAlert } from '../parts/problem';
import { RouteLink } from '../parts/route-link';
import { useStatement } from './queries';
import { StatementStatusTag } from './statement-status';
import { StatementStep } from './statements';

type Line = components['schemas']['StatementLineDto'];

/** One statement: its figures, who submitted and approved it, its payout, and its lines. */
export function Component() {
  const { id = '' } = useParams();
  const { t, i18n } = useTranslation('settlement');
  const statement = useStatement(id);
  const s = statement.data;
  const me = useAccount()?.id;
  const who = (accountId: string | null) =>
    accountId === null ? '—' : accountId === me ? t('statements.you') : accountId.slice(0, 8);
  const columns = [
    {
      key: 'redemption',
      title: t('statements.lineColumns.redemption'),
      render: (_: unknown, l: Line) => <code>{l.redemptionId.slice(0, 8)}</code>,
    },
    {
      key: 'kind',
      title: t('statements.lineColumns.kind'),
      render: (_: unknown, l: Line) => t(`statements.lineKind.${l.kind}`),
    },
    { key: 'day', title: t('statements.lineColumns.day'), dataIndex: 'redemptionDay' },
    {
      key: 'amount',
      title: t('statements.lineColumns.amount'),
      align: 'right' as const,
      render: (_: unknown, l: Line) => formatFen(l.amountFen),
    },
  ];
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <RouteLink to="../statements">{t('statements.back')}</RouteLink>
      <ProblemAlert error={statement.error} />
      {s && (
        <>
          <Typography.Title level={3}>
            {s.merchantName} · {s.businessDay}
          </Typography.Title>
          <Descriptions bordered size="small" column={2}>
            <Descriptions.Item label={t('statements.status')}>
              <StatementStatusTag statement={s} />
            </Descriptions.Item>
            <Descriptions.Item label={t('statements.total')}>{formatFen(s.totalFen)}</Descriptions.Item>
            <Descriptions.Item
              label={t('statements.lines')}
            >{`${s.redemptionCount} / ${s.adjustmentCount}`}</Descriptions.Item>
            <Descriptions.Item label={t('statements.generated')}>
              {formatDateTime(s.generatedAt, i18n.language)}
            </Descriptions.Item>
            <Descriptions.Item label={t('statements.submittedBy')}>{who(s.submittedById)}</Descriptions.Item>
            <Descriptions.Item label={t('statements.approvedBy')}>{who(s.approvedById)}</Descriptions.Item>
            <Descriptions.Item label={t('statements.reference')}>{s.payout?.reference ?? '—'}</Descriptions.Item>
          </Descriptions>
          <StatementStep statement={s} />
          <Table<Line>
            rowKey={(l) => `${l.redemptionId}-${l.kind}`}
            size="small"
            columns={columns}
            dataSource={s.lines}
            pagination={{ pageSize: 50, showSizeChanger: false }}
          />
        </>
      )}
    </Space>
  );
}
