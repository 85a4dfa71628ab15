import { Alert, Card, Col, Empty, Row, Space, Statistic, Table, Typography } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ApiProblem, ok, type components } from '@quan/web-api';
import { formatDateTime, formatFen, problemMessage } from '@quan/web-core';
import { leverageText } from '../../figures';
import { ConsoleLoading } from '../../route-error';
import { api } from '../../runtime';
import { Chart } from './chart';

type Dimension = components['schemas']['LeverageDimension'];
type LeverageRow = components['schemas']['LeverageRowDto'];
type CampaignBudget = components['schemas']['CampaignBudgetDto'];

/** The figures refresh on their own this often: the worker folds a redemption in within seconds. */
const REFRESH_MS = 30_000;
const TOP_MERCHANTS = 10;

function useLeverage(by: Dimension, limit?: number) {
  return useQuery({
    queryKey: ['reports', 'leverage', by, limit],
    refetchInterval: REFRESH_MS,
    queryFn: () => ok(api.GET('/api/v1/reports/leverage', { params: { query: { by, limit } } })),
  });
}

/** One running campaign's budget: how much of it redemptions have used. */
function BudgetGauge({ campaign }: { campaign: CampaignBudget }) {
  const { t } = useTranslation('dashboard');
  const percent = campaign.budgetFen > 0 ? Math.round((campaign.usedFen * 10000) / campaign.budgetFen) / 100 : 0;
  const words = t('budget.of', {
    used: formatFen(campaign.usedFen),
    budget: formatFen(campaign.budgetFen),
    remaining: formatFen(campaign.remainingFen),
  });
  return (
    <Col xs={24} md={12} xl={8}>
      <Typography.Text strong>{campaign.name}</Typography.Text>
      <Chart
        testId="chart-budget"
        label={`${campaign.name}：${words}`}
        height={220}
        option={{
          series: [
            {
              type: 'gauge',
              min: 0,
              max: 100,
              radius: '95%',
              progress: { show: true, width: 14 },
              axisLine: { lineStyle: { width: 14 } },
              axisTick: { show: false },
              splitLine: { length: 8, distance: 4 },
              axisLabel: { distance: 20, fontSize: 10 },
              pointer: { show: false },
              title: { offsetCenter: [0, '30%'] },
              detail: { valueAnimation: false, formatter: '{value}%', fontSize: 22, offsetCenter: [0, '-5%'] },
              data: [{ value: percent, name: t('budget.used') }],
            },
          ],
        }}
      />
      <Typography.Paragraph style={{ textAlign: 'center' }}>{words}</Typography.Paragraph>
    </Col>
  );
}

/** Leverage of each row as bars, largest order totals first as the api lists them. */
function LeverageBars({ rows, label, testId }: { rows: LeverageRow[]; label: string; testId: string }) {
  const { t } = useTranslation('dashboard');
  if (rows.length === 0) return <Empty description={t('noData')} />;
  return (
    <Chart
      testId={testId}
      label={`${label}：${rows.map((row) => `${row.label} ${leverageText(row.leverage)}`).join('，')}`}
      option={{
        tooltip: { trigger: 'axis' },
        grid: { left: 48, right: 16, top: 24, bottom: 48 },
        xAxis: {
          type: 'category',
          data: rows.map((row) => row.label),
          axisLabel: { interval: 0, rotate: rows.length > 6 ? 30 : 0 },
        },
        yAxis: { type: 'value', name: t('leverage') },
        series: [
          {
            type: 'bar',
            name: t('leverage'),
            data: rows.map((row) => row.leverage ?? 0),
            label: { show: true, position: 'top', formatter: ({ value }: { value: number }) => value.toFixed(2) },
          },
        ],
      }}
    />
  );
}

/**
 * The dashboard: today's figures, the budget of each running campaign, claims and redemptions per day,
 * leverage by category and county, the top merchants; from the reports api, refreshed every 30 s.
 */
export function Component() {
  const { t, i18n } = useTranslation('dashboard');
  const overview = useQuery({
    queryKey: ['reports', 'overview'],
    refetchInterval: REFRESH_MS,
    queryFn: () => ok(api.GET('/api/v1/reports/overview')),
  });
  const period = useLeverage('day');
  const byCategory = useLeverage('category');
  const byCounty = useLeverage('county');
  const merchants = useLeverage('merchant', TOP_MERCHANTS);

  if (overview.isPending) return <ConsoleLoading />;
  if (overview.error) return <Alert type="error" showIcon title={problemMessage(ApiProblem.from(overview.error), t)} />;
  const { today, campaigns, daily, asOf } = overview.data;
  const days = daily.map((day) => day.businessDay.slice(5));
  const figure = (title: string, value: string | number, testId?: string) => (
    <Col xs={12} md={8} xl={3}>
      <Card size="small">
        <Statistic title={title} value={value} valueStyle={{ fontSize: 22 }} data-testid={testId} />
      </Card>
    </Col>
  );
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Space style={{ width: '100%', justifyContent: 'space-between' }} wrap>
        <Typography.Title level={2} style={{ margin: 0 }}>
          {t('title')}
        </Typography.Title>
        {asOf && (
          <Typography.Text type="secondary">{t('asOf', { when: formatDateTime(asOf, i18n.language) })}</Typography.Text>
        )}
      </Space>
      <section aria-label={t('today.title', { day: today.businessDay })}>
        <Typography.Title level={3} style={{ fontSize: 16 }}>
          {t('today.title', { day: today.businessDay })}
        </Typography.Title>
        <Row gutter={[12, 12]}>
          {figure(t('today.claims'), today.claims)}
          {figure(t('today.vouchersIssued'), today.vouchersIssued)}
          {figure(t('today.redemptions'), today.redemptions)}
          {figure(t('today.reversals'), today.reversals)}
          {figure(t('today.orderTotal'), formatFen(today.orderTotalFen))}
          {figure(t('today.subsidy'), formatFen(today.subsidyFen))}
          {figure(t('today.leverage'), leverageText(today.leverage), 'leverage-today')}
          {figure(
            t('today.periodLeverage', { days: daily.length }),
            leverageText(period.data?.total.leverage),
            'leverage-period',
          )}
        </Row>
      </section>
      <Card title={t('budget.title')} size="small">
        {campaigns.length === 0 ? (
          <Empty description={t('budget.none')} />
        ) : (
          <Row gutter={[16, 16]}>
            {campaigns.map((campaign) => (
              <BudgetGauge key={campaign.campaignId} campaign={campaign} />
            ))}
          </Row>
        )}
      </Card>
      <Card title={t('daily.title')} size="small">
        <Chart
          testId="chart-daily"
          label={`${t('daily.title')}：${daily.map((day) => `${day.businessDay} ${day.claims}/${day.redemptions}`).join('，')}`}
          option={{
            tooltip: { trigger: 'axis' },
            legend: { top: 0, data: [t('daily.claims'), t('daily.redemptions')] },
            grid: { left: 56, right: 16, top: 40, bottom: 32 },
            xAxis: { type: 'category', data: days },
            yAxis: { type: 'value' },
            series: [
              { type: 'line', name: t('daily.claims'), data: daily.map((day) => day.claims), smooth: true },
              { type: 'line', name: t('daily.redemptions'), data: daily.map((day) => day.redemptions), smooth: true },
            ],
          }}
        />
      </Card>
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={12}>
          <Card title={t('byCategory.title')} size="small">
            <LeverageBars rows={byCategory.data?.rows ?? []} label={t('byCategory.title')} testId="chart-category" />
          </Card>
        </Col>
        <Col xs={24} xl={12}>
          <Card title={t('byCounty.title')} size="small">
            <LeverageBars rows={byCounty.data?.rows ?? []} label={t('byCounty.title')} testId="chart-county" />
          </Card>
        </Col>
      </Row>
      <Card title={t('top.title')} size="small">
        <Table<LeverageRow>
          rowKey="key"
          size="small"
          pagination={false}
          loading={merchants.isPending}
          dataSource={merchants.data?.rows}
          locale={{ emptyText: t('noData') }}
          columns={[
            { title: t('top.merchant'), dataIndex: 'label' },
            { title: t('top.redemptions'), dataIndex: 'redemptions', align: 'right' },
            { title: t('top.orderTotal'), align: 'right', render: (_, row) => formatFen(row.orderTotalFen) },
            { title: t('top.subsidy'), align: 'right', render: (_, row) => formatFen(row.subsidyFen) },
            { title: t('top.leverage'), align: 'right', render: (_, row) => leverageText(row.leverage) },
          ]}
        />
      </Card>
    </Space>
  );
}
