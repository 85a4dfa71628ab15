import { Alert, Button, Space, Table, Typography } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { ApiProblem, ok } from '@quan/web-api';
import { formatDateTime, formatFen, problemMessage } from '@quan/web-core';
import { api } from '../../runtime';
import type { CampaignSummary } from './data';

/** Campaigns waiting for approval; each opens its review (configuration, changes, approve or reject). */
export function Component() {
  const { t, i18n } = useTranslation('campaigns');
  const navigate = useNavigate();
  const pending = useQuery({
    queryKey: ['campaigns', 'pending_approval', 'inbox'],
    queryFn: () => ok(api.GET('/api/v1/campaigns', { params: { query: { status: 'pending_approval', limit: 100 } } })),
  });
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Typography.Title level={2} style={{ margin: 0 }}>
        {t('inbox.title')}
      </Typography.Title>
      {pending.error && <Alert type="error" showIcon title={problemMessage(ApiProblem.from(pending.error), t)} />}
      <Table<CampaignSummary>
        rowKey="id"
        loading={pending.isPending}
        dataSource={pending.data?.items}
        pagination={false}
        locale={{ emptyText: t('inbox.empty') }}
        columns={[
          { title: t('list.code'), dataIndex: 'code' },
          { title: t('list.name'), dataIndex: 'name' },
          { title: t('list.budget'), align: 'right', render: (_, row) => formatFen(row.budgetFen) },
          { title: t('list.updated'), render: (_, row) => formatDateTime(row.updatedAt, i18n.language) },
          {
            key: 'open',
            render: (_, row) => (
              <Button type="primary" onClick={() => navigate(`/campaigns/${row.id}`)}>
                {t('inbox.review')}
              </Button>
            ),
          },
        ]}
      />
    </Space>
  );
}
