import { Alert, Button, Form, Input, Select, Space, Table, Tooltip, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { formatFen } from '@quan/web-core';
import { useAccount, useAllowed } from '../../access';
import { ConfirmAction } from '../parts/confirm-action';
import { useListParams } from '../parts/paging';
import { ProblemAlert } from '../parts/problem';
import { RouteLink } from '../parts/route-link';
import { FINANCE } from './roles';
import { useStatements, useStatementStep, type Statement, type StatementQuery } from './queries';
import { StatementStatusTag } from './statement-status';

const FILTERS = ['businessDay', 'status'] as const;

/** Maker-checker on one statement: submit when open, approve when submitted by someone else. */
export function StatementStep({ statement }: { statement: Statement }) {
  const { t } = useTranslation('settlement');
  const step = useStatementStep();
  const finance = useAllowed(FINANCE);
  const me = useAccount()?.id;
  if (!finance) return null;
  const what = { merchant: statement.merchantName, day: statement.businessDay, total: formatFen(statement.totalFen) };
  if (statement.status === 'open') {
    return (
      <ConfirmAction
        size="small"
        label={t('statements.submit')}
        description={t('statements.submitWhat', what)}
        onConfirm={() => step.mutateAsync({ id: statement.id, step: 'submit' })}
      />
    );
  }
  if (statement.status !== 'submitted') return null;
  if (statement.submittedById === me) {
    return (
      <Tooltip title={t('statements.makerChecker')}>
        <Typography.Text type="secondary">{t('statements.ownSubmission')}</Typography.Text>
      </Tooltip>
    );
  }
  return (
    <ConfirmAction
      size="small"
      type="primary"
      label={t('statements.approve')}
      description={t('statements.approveWhat', what)}
      onConfirm={() => step.mutateAsync({ id: statement.id, step: 'approve' })}
    />
  );
}

/** Statements by business day, newest first, with the maker-checker steps. The api does not count them: a full page offers the next. */
export function Component() {
  const { t } = useTranslation('settlement');
  const { t: tp } = useTranslation('parts');
  const { filters, initial, setFilters, offset, limit, pagination } = useListParams(FILTERS);
  const query: StatementQuery = {
    businessDay: filters.businessDay || undefined,
    status: (filters.status || undefined) as StatementQuery['status'],
    offset,
    limit,
  };
  const list = useStatements(query);
  const finance = useAllowed(FINANCE);
  const items = list.data?.items;
  const seen = offset + (items?.length ?? 0) + (items?.length === limit ? 1 : 0);
  const columns = [
    {
      key: 'day',
      title: t('statements.day'),
      render: (_: unknown, s: Statement) => <RouteLink to={s.id}>{s.businessDay}</RouteLink>,
    },
    { key: 'merchant', title: t('statements.merchant'), dataIndex: 'merchantName' },
    {
      key: 'status',
      title: t('statements.status'),
      render: (_: unknown, s: Statement) => <StatementStatusTag statement={s} />,
    },
    {
      key: 'total',
      title: t('statements.total'),
      align: 'right' as const,
      render: (_: unknown, s: Statement) => formatFen(s.totalFen),
    },
    {
      key: 'lines',
      title: t('statements.lines'),
      align: 'right' as const,
      render: (_: unknown, s: Statement) => `${s.redemptionCount} / ${s.adjustmentCount}`,
    },
    {
      key: 'actions',
      title: t('statements.actions'),
      render: (_: unknown, s: Statement) => <StatementStep statement={s} />,
    },
  ];
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      {finance ? (
        <Alert type="info" title={t('statements.makerChecker')} />
      ) : (
        <Alert type="info" title={tp('readOnly')} />
      )}
      <Form
        name="statement-filters"
        layout="inline"
        initialValues={initial}
        onFinish={(values: Record<(typeof FILTERS)[number], string | undefined>) =>
          setFilters({ businessDay: values.businessDay ?? '', status: values.status ?? '' })
        }
      >
        <Form.Item name="businessDay" label={t('statements.day')}>
          <Input type="date" style={{ width: 180 }} />
        </Form.Item>
        <Form.Item name="status" label={t('statements.status')}>
          <Select
            allowClear
            style={{ width: 140 }}
            options={(['open', 'submitted', 'approved'] as const).map((status) => ({
              value: status,
              label: t(`status.${status}`),
            }))}
          />
        </Form.Item>
        <Form.Item>
          <Button type="primary" htmlType="submit">
            {tp('search')}
          </Button>
        </Form.Item>
      </Form>
      <ProblemAlert error={list.error} />
      <Table<Statement>
        rowKey="id"
        columns={columns}
        dataSource={items}
        loading={list.isFetching}
        locale={{ emptyText: t('statements.empty') }}
        pagination={{ ...pagination(seen), showTotal: undefined }}
      />
    </Space>
  );
}
