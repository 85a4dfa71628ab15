import { Alert, Button, Form, Input, Select, Space, Table, Tabs, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '@quan/web-core';
import { useAccount } from '../../access';
import { useListParams } from '../parts/paging';
import { ProblemAlert } from '../parts/problem';
import { useReference } from '../parts/reference';
import { RouteLink } from '../parts/route-link';
import { LicenceCheck } from './licence-check';
import { useMerchants, type Merchant, type MerchantStatus } from './queries';
import { ReviewActions } from './review-actions';
import { MerchantStatusTag } from './status-tag';

const TABS = ['pending', 'approved', 'suspended', 'rejected', 'all'] as const;
const FILTERS = ['status', 'name', 'countyCode', 'categoryCode'] as const;

/**
 * The merchants, the review queue first (pending applications, oldest applications are at the end of
 * the api's order). A county admin's list is their county's (the api's scope); no other county is offered.
 */
export function Component() {
  const { t, i18n } = useTranslation('merchants');
  const { t: tp } = useTranslation('parts');
  const reference = useReference();
  const account = useAccount();
  const ownCounty = account?.role === 'county_admin' ? (account.countyCode ?? undefined) : undefined;
  const { filters, initial, setFilters, offset, limit, pagination } = useListParams(FILTERS, { status: 'pending' });
  const status = filters.status === 'all' ? undefined : (filters.status as MerchantStatus);
  const list = useMerchants({
    status,
    name: filters.name || undefined,
    countyCode: ownCounty ?? (filters.countyCode || undefined),
    categoryCode: filters.categoryCode || undefined,
    limit,
    offset,
  });
  const [form] = Form.useForm<{ name: string; countyCode?: string; categoryCode?: string }>();

  const columns = [
    {
      key: 'name',
      title: t('columns.name'),
      render: (_: unknown, m: Merchant) => <RouteLink to={m.id}>{m.name}</RouteLink>,
    },
    {
      key: 'licence',
      title: t('columns.licence'),
      render: (_: unknown, m: Merchant) => <LicenceCheck licenceNo={m.licenceNo} />,
    },
    {
      key: 'county',
      title: t('columns.county'),
      render: (_: unknown, m: Merchant) => reference.countyName(m.countyCode),
    },
    {
      key: 'category',
      title: t('columns.category'),
      render: (_: unknown, m: Merchant) => reference.categoryName(m.categoryCode),
    },
    {
      key: 'status',
      title: t('columns.status'),
      render: (_: unknown, m: Merchant) => <MerchantStatusTag status={m.status} />,
    },
    {
      key: 'applied',
      title: t('columns.applied'),
      render: (_: unknown, m: Merchant) => formatDateTime(m.createdAt, i18n.language),
    },
    {
      key: 'actions',
      title: t('columns.actions'),
      render: (_: unknown, m: Merchant) => <ReviewActions merchant={m} size="small" />,
    },
  ];

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Typography.Title level={2}>{t('title')}</Typography.Title>
      {ownCounty && <Alert type="info" title={t('countyOnly', { county: reference.countyName(ownCounty) })} />}
      <Tabs
        activeKey={filters.status}
        onChange={(key) => setFilters({ status: key })}
        items={TABS.map((key) => ({
          key,
          label: key === 'all' ? tp('all') : key === 'pending' ? t('queue') : t(`status.${key}`),
        }))}
      />
      <Form
        form={form}
        name="merchant-filters"
        layout="inline"
        initialValues={initial}
        onFinish={(values) =>
          setFilters({
            name: values.name ?? '',
            countyCode: values.countyCode ?? '',
            categoryCode: values.categoryCode ?? '',
          })
        }
      >
        <Form.Item name="name" label={t('filters.name')}>
          <Input allowClear />
        </Form.Item>
        {!ownCounty && (
          <Form.Item name="countyCode" label={t('filters.county')}>
            <Select allowClear style={{ width: 160 }} options={reference.countyOptions} />
          </Form.Item>
        )}
        <Form.Item name="categoryCode" label={t('filters.category')}>
          <Select allowClear style={{ width: 160 }} options={reference.categoryOptions} />
        </Form.Item>
        <Form.Item>
          <Button type="primary" htmlType="submit">
            {tp('search')}
          </Button>
        </Form.Item>
      </Form>
      <ProblemAlert error={list.error} />
      <Table<Merchant>
        rowKey="id"
        columns={columns}
        dataSource={list.data?.items}
        loading={list.isFetching}
        pagination={pagination(list.data?.total)}
      />
    </Space>
  );
}
