import { Alert, Button, Form, Select, Space, Table, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '@quan/web-core';
import { useListParams } from '../parts/paging';
import { ProblemAlert } from '../parts/problem';
import { RouteLink } from '../parts/route-link';
import { SeverityTag, StatusTag } from './parts';
import { useFlags, type Flag, type FlagQuery } from './queries';

const FILTERS = ['status', 'severity'] as const;

/** The risk inbox: flags, open and severe first, with what each is about; a flag's page has its evidence. */
export function Component() {
  const { t } = useTranslation('risk');
  const { t: tp } = useTranslation('parts');
  const { filters, initial, setFilters, offset, limit, pagination } = useListParams(FILTERS);
  const query: FlagQuery = {
    status: (filters.status || undefined) as FlagQuery['status'],
    severity: (filters.severity || undefined) as FlagQuery['severity'],
    offset,
    limit,
  };
  const list = useFlags(query);
  const columns = [
    {
      key: 'raised',
      title: t('columns.raised'),
      render: (_: unknown, f: Flag) => <RouteLink to={f.id}>{formatDateTime(f.raisedAt)}</RouteLink>,
    },
    { key: 'rule', title: t('columns.rule'), render: (_: unknown, f: Flag) => t(`rule.${f.rule}`) },
    { key: 'severity', title: t('columns.severity'), render: (_: unknown, f: Flag) => <SeverityTag flag={f} /> },
    {
      key: 'merchant',
      title: t('columns.merchant'),
      render: (_: unknown, f: Flag) => f.merchantName ?? t('cityWide'),
    },
    { key: 'day', title: t('columns.day'), dataIndex: 'businessDay' },
    { key: 'summary', title: t('columns.summary'), dataIndex: 'summary' },
    { key: 'status', title: t('columns.status'), render: (_: unknown, f: Flag) => <StatusTag flag={f} /> },
  ];
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Typography.Title level={2}>{t('title')}</Typography.Title>
      <Alert type="info" title={t('intro')} />
      <Form
        name="risk-filters"
        layout="inline"
        initialValues={initial}
        onFinish={(values: Record<(typeof FILTERS)[number], string | undefined>) =>
          setFilters({ status: values.status ?? '', severity: values.severity ?? '' })
        }
      >
        <Form.Item name="status" label={t('filters.status')}>
          <Select
            allowClear
            style={{ width: 160 }}
            options={(['open', 'clearing', 'cleared', 'confirmed'] as const).map((status) => ({
              value: status,
              label: t(`status.${status}`),
            }))}
          />
        </Form.Item>
        <Form.Item name="severity" label={t('filters.severity')}>
          <Select
            allowClear
            style={{ width: 120 }}
            options={(['high', 'medium', 'low'] as const).map((severity) => ({
              value: severity,
              label: t(`severity.${severity}`),
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
      <Table<Flag>
        rowKey="id"
        columns={columns}
        dataSource={list.data?.items}
        loading={list.isFetching}
        locale={{ emptyText: t('empty') }}
        pagination={pagination(list.data?.total ?? 0)}
      />
    </Space>
  );
}
