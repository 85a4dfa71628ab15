import { Alert, Button, Card, Select, Space, Table, Typography } from 'antd';
import { PlusOutlined, InboxOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { ApiProblem, ok } from '@quan/web-api';
import { formatDateTime, formatFen, problemMessage } from '@quan/web-core';
import { Allowed, OPERATORS } from '../../access';
import { api } from '../../runtime';
import { StatusTag } from './campaign-view';
import { useReference } from '../parts/reference';
import { type CampaignStatus, type CampaignSummary } from './data';

const PAGE = 20;
const STATUSES: CampaignStatus[] = ['draft', 'pending_approval', 'published', 'running', 'ended', 'archived'];

/** Campaigns filtered by status and scope (kept in the URL), newest changes first as the api lists them. */
export function Component() {
  const { t, i18n } = useTranslation('campaigns');
  const [params, setParams] = useSearchParams();
  const navigate = useNavigate();
  const { countyOptions, countyName } = useReference();
  const status = (params.get('status') ?? undefined) as CampaignStatus | undefined;
  const scope = params.get('scope') ?? undefined;
  const page = Number(params.get('page') ?? 1);
  const list = useQuery({
    queryKey: ['campaigns', status, scope, page],
    queryFn: () =>
      ok(
        api.GET('/api/v1/campaigns', {
          params: { query: { status, scopeCountyCode: scope, limit: PAGE, offset: (page - 1) * PAGE } },
        }),
      ),
  });
  const setFilter = (name: string, value: string | undefined) => {
    const next = new URLSearchParams(params);
    if (value) next.set(name, value);
    else next.delete(name);
    next.delete('page');
    setParams(next);
  };

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Space style={{ width: '100%', justifyContent: 'space-between' }}>
        <Typography.Title level={2} style={{ margin: 0 }}>
          {t('list.title')}
        </Typography.Title>
        <Space>
          <Button icon={<InboxOutlined />} onClick={() => navigate('/campaigns/inbox')}>
            {t('list.inbox')}
          </Button>
          <Allowed roles={OPERATORS}>
            <Button type="primary" icon={<PlusOutlined />} onClick={() => navigate('/campaigns/new')}>
              {t('list.new')}
            </Button>
          </Allowed>
        </Space>
      </Space>
      <Card size="small">
        <Space wrap>
          <label>
            {t('list.status')}{' '}
            <Select
              aria-label={t('list.status')}
              style={{ width: 160 }}
              value={status ?? ''}
              onChange={(value) => setFilter('status', value || undefined)}
              options={[
                { value: '', label: t('list.all') },
                ...STATUSES.map((value) => ({ value, label: t(`status.${value}`) })),
              ]}
            />
          </label>
          <label>
            {t('list.scope')}{' '}
            <Select
              aria-label={t('list.scope')}
              style={{ width: 160 }}
              value={scope ?? ''}
              onChange={(value) => setFilter('scope', value || undefined)}
              options={[
                { value: '', label: t('list.all') },
                { value: 'city', label: t('list.cityWide') },
                ...countyOptions,
              ]}
            />
          </label>
        </Space>
      </Card>
      {list.error && <Alert type="error" showIcon title={problemMessage(ApiProblem.from(list.error), t)} />}
      <Table<CampaignSummary>
        rowKey="id"
        loading={list.isPending}
        dataSource={list.data?.items}
        locale={{ emptyText: t('list.empty') }}
        pagination={{
          current: page,
          pageSize: PAGE,
          total: list.data?.total,
          showSizeChanger: false,
          onChange: (next) =>
            setParams((old) => {
              const copy = new URLSearchParams(old);
              copy.set('page', String(next));
              return copy;
            }),
        }}
        columns={[
          { title: t('list.code'), dataIndex: 'code' },
          { title: t('list.name'), render: (_, row) => <Link to={`/campaigns/${row.id}`}>{row.name}</Link> },
          { title: t('list.status'), render: (_, row) => <StatusTag status={row.status} /> },
          {
            title: t('list.scope'),
            render: (_, row) => (row.scopeCountyCode ? countyName(row.scopeCountyCode) : t('list.cityWide')),
          },
          { title: t('list.budget'), align: 'right', render: (_, row) => formatFen(row.budgetFen) },
          {
            title: t('list.window'),
            render: (_, row) =>
              `${formatDateTime(row.startsAt, i18n.language)} – ${formatDateTime(row.endsAt, i18n.language)}`,
          },
          { title: t('list.updated'), render: (_, row) => formatDateTime(row.updatedAt, i18n.language) },
        ]}
      />
    </Space>
  );
}
