import { useEffect } from 'react';
import { Button, Card, Col, Descriptions, Form, Input, Row, Select, Space, Table, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '@quan/web-core';
import { useListParams } from '../parts/paging';
import { showProblem } from '../../problem-fields';
import { ProblemAlert } from '../parts/problem';
import { dayAfterStart, dayStart } from './days';
import { useActors, useAuditChain, useAuditLog, type AuditEntry } from './queries';

const FILTERS = ['actorId', 'action', 'entityType', 'entityId', 'from', 'to'] as const;
type Filters = Partial<Record<(typeof FILTERS)[number], string>>;
const ENTITY_TYPES = [
  'campaign',
  'round',
  'merchant',
  'staff_account',
  'settlement_statement',
  'payout_batch',
  'payout_transfer',
  'settlement_run',
  'redemption',
  'county',
  'category',
  'audit_log',
];

function Snapshot({ label, value }: { label: string; value: object | null }) {
  const { t } = useTranslation('audit');
  return (
    <Col span={12}>
      <Typography.Text strong>{label}</Typography.Text>
      <pre className="q-console-json" tabIndex={0} aria-label={label}>
        {value === null ? t('nothing') : JSON.stringify(value, null, 2)}
      </pre>
    </Col>
  );
}

/** The chain's head and newest anchor, for an auditor to copy out of the system. */
function Chain() {
  const { t, i18n } = useTranslation('audit');
  const chain = useAuditChain();
  const c = chain.data;
  return (
    <Card title={t('chain.title')} size="small">
      <ProblemAlert error={chain.error} />
      {c && (
        <Descriptions size="small" column={1}>
          <Descriptions.Item label={t('chain.head')}>
            {c.head ? (
              <Typography.Text copyable={{ text: `${c.head.id}=${c.head.hash}` }}>
                <code>
                  {c.head.id}={c.head.hash}
                </code>
              </Typography.Text>
            ) : (
              t('chain.empty')
            )}
          </Descriptions.Item>
          <Descriptions.Item label={t('chain.anchor')}>
            {c.latestAnchor ? (
              <Typography.Text copyable={{ text: `${c.latestAnchor.anchored.id}=${c.latestAnchor.anchored.hash}` }}>
                {formatDateTime(c.latestAnchor.at, i18n.language)} ·{' '}
                {t('chain.anchored', { id: c.latestAnchor.anchored.id })} <code>{c.latestAnchor.anchored.hash}</code>
              </Typography.Text>
            ) : (
              t('chain.noAnchor')
            )}
          </Descriptions.Item>
          <Descriptions.Item label={t('chain.genesis')}>
            <code>{c.genesisHash}</code>
          </Descriptions.Item>
        </Descriptions>
      )}
      <Typography.Paragraph type="secondary">{t('chain.explain')}</Typography.Paragraph>
    </Card>
  );
}

/** Every change, newest first, filtered by actor, action, entity and dates; a row opens its before and after. */
export function Component() {
  const { t, i18n } = useTranslation('audit');
  const { t: tp } = useTranslation('parts');
  const { filters, initial, setFilters, offset, limit, pagination } = useListParams(FILTERS);
  const [form] = Form.useForm<Filters>();
  const actors = useActors();
  const log = useAuditLog({
    actorId: filters.actorId || undefined,
    action: filters.action || undefined,
    entityType: filters.entityType || undefined,
    entityId: filters.entityId || undefined,
    from: filters.from ? dayStart(filters.from) : undefined,
    to: filters.to ? dayAfterStart(filters.to) : undefined,
    offset,
    limit,
  });
  useEffect(() => {
    if (log.error) showProblem(form, log.error, tp);
  }, [log.error, form, tp]);

  const columns = [
    { key: 'at', title: t('columns.at'), render: (_: unknown, e: AuditEntry) => formatDateTime(e.at, i18n.language) },
    {
      key: 'actor',
      title: t('columns.actor'),
      render: (_: unknown, e: AuditEntry) =>
        `${e.actorUsername ?? t('filters.system')} · ${t(`roles.${e.actorRole}`, { defaultValue: e.actorRole })}`,
    },
    { key: 'action', title: t('columns.action'), render: (_: unknown, e: AuditEntry) => <code>{e.action}</code> },
    {
      key: 'entity',
      title: t('columns.entity'),
      render: (_: unknown, e: AuditEntry) => `${e.entityType} ${e.entityId.slice(0, 8)}`,
    },
    {
      key: 'request',
      title: t('columns.request'),
      render: (_: unknown, e: AuditEntry) => e.requestId && <code>{e.requestId.slice(0, 8)}</code>,
    },
  ];
  const onFinish = (values: Filters) =>
    setFilters(Object.fromEntries(FILTERS.map((key) => [key, values[key]?.trim() ?? ''])));
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Typography.Title level={2}>{t('title')}</Typography.Title>
      <Chain />
      <Form form={form} name="audit-filters" layout="vertical" initialValues={initial} onFinish={onFinish}>
        <Row gutter={16}>
          <Col span={6}>
            <Form.Item name="actorId" label={t('filters.actor')}>
              <Select
                allowClear
                showSearch={{ optionFilterProp: 'label' }}
                options={(actors.data?.items ?? []).map((a) => ({
                  value: a.id,
                  label: `${a.username} · ${a.displayName}`,
                }))}
              />
            </Form.Item>
          </Col>
          <Col span={6}>
            <Form.Item
              name="action"
              label={t('filters.action')}
              extra={t('filters.actionHelp')}
              rules={[{ pattern: /^[a-z_.]{1,60}$/, message: t('filters.actionInvalid') }]}
            >
              <Input allowClear placeholder="campaign." />
            </Form.Item>
          </Col>
          <Col span={6}>
            <Form.Item name="entityType" label={t('filters.entityType')}>
              <Select allowClear options={ENTITY_TYPES.map((type) => ({ value: type, label: type }))} />
            </Form.Item>
          </Col>
          <Col span={6}>
            <Form.Item name="entityId" label={t('filters.entityId')}>
              <Input allowClear />
            </Form.Item>
          </Col>
          <Col span={6}>
            <Form.Item name="from" label={t('filters.from')}>
              <Input type="date" />
            </Form.Item>
          </Col>
          <Col span={6}>
            <Form.Item name="to" label={t('filters.to')}>
              <Input type="date" />
            </Form.Item>
          </Col>
          <Col span={12} style={{ display: 'flex', alignItems: 'center', gap: 8 }}>
            <Button type="primary" htmlType="submit">
              {tp('search')}
            </Button>
            <Button
              onClick={() => {
                form.resetFields();
                setFilters(Object.fromEntries(FILTERS.map((key) => [key, ''])));
              }}
            >
              {tp('reset')}
            </Button>
          </Col>
        </Row>
      </Form>
      <ProblemAlert error={log.error} />
      <Table<AuditEntry>
        rowKey="id"
        size="small"
        columns={columns}
        dataSource={log.data?.items}
        loading={log.isFetching}
        pagination={pagination(log.data?.total)}
        expandable={{
          expandedRowRender: (e) => (
            <Row gutter={16}>
              <Snapshot label={t('before')} value={e.before} />
              <Snapshot label={t('after')} value={e.after} />
            </Row>
          ),
        }}
      />
    </Space>
  );
}
