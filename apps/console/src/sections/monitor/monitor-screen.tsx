import { useQuery } from '@tanstack/react-query';
import { Alert, Card, Col, Empty, Progress, Radio, Row, Select, Space, Statistic, Table, Tag, Typography } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams, useSearchParams } from 'react-router';
import { ok } from '@quan/web-api';
import { formatCountdown, formatDateTime, formatTime, problemMessage } from '@quan/web-core';
import { ConsoleLoading } from '../../route-error';
import { api } from '../../runtime';
import { ClaimsChart } from './claims-chart';
import type { CampaignMonitor, MonitoredRound } from './monitor-types';

/** Often enough to watch an opening; the api answers all pollers of a second with one read anyway. */
const POLL_MS = 2000;

/** The round watched first: the open one, else the next to open, else the first listed. */
const PREFERRED = ['open', 'upcoming', 'paused', 'closed'] as const;

const STATUS_COLOURS: Record<MonitoredRound['status'], string> = {
  open: 'red',
  upcoming: 'blue',
  paused: 'orange',
  closed: 'default',
};

function useLiveCampaigns() {
  return useQuery({
    queryKey: ['campaigns', 'live'],
    queryFn: async () => {
      const page = await ok(api.GET('/api/v1/campaigns', { params: { query: { limit: 200 } } }));
      return page.items.filter((campaign) => campaign.status === 'published' || campaign.status === 'running');
    },
  });
}

/**
 * One poll drives every figure of the screen. React Query stops the interval while the tab is hidden
 * (refetchIntervalInBackground stays false), so a console left open in the background asks nothing.
 */
function useMonitor(campaignId: string) {
  return useQuery({
    queryKey: ['monitor', campaignId],
    queryFn: () => ok(api.GET('/api/v1/campaigns/{id}/monitor', { params: { path: { id: campaignId } } })),
    refetchInterval: POLL_MS,
    refetchIntervalInBackground: false,
    retry: false,
  });
}

/** The live campaigns to choose from; the one watched stays listed (by the monitor's name for it) once it has ended. */
function CampaignPicker({ current }: { current?: { id: string; name: string } }) {
  const { t } = useTranslation('monitor');
  const navigate = useNavigate();
  const campaigns = useLiveCampaigns();
  const options = (campaigns.data ?? []).map((campaign) => ({
    value: campaign.id,
    label: `${campaign.name}（${campaign.code}）`,
  }));
  if (current && !options.some((option) => option.value === current.id)) {
    options.push({ value: current.id, label: current.name });
  }
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Select
        aria-label={t('campaign')}
        placeholder={t('pickCampaign')}
        style={{ minWidth: 420 }}
        loading={campaigns.isPending}
        value={current?.id}
        showSearch
        optionFilterProp="label"
        options={options}
        onChange={(id: string) => void navigate(`/monitor/${id}`)}
      />
      {campaigns.data?.length === 0 && !current && (
        <Typography.Text type="secondary">{t('noCampaigns')}</Typography.Text>
      )}
    </Space>
  );
}

function Figure({ title, testId, value }: { title: string; testId: string; value: ReactNode }) {
  return (
    <Card size="small">
      <Statistic title={title} value={0} formatter={() => <span data-testid={testId}>{value}</span>} />
    </Card>
  );
}

/** A card's heading, one level below the screen's title. */
function CardTitle({ children }: { children: ReactNode }) {
  return (
    <Typography.Title level={3} style={{ fontSize: 16, margin: 0 }}>
      {children}
    </Typography.Title>
  );
}

function SellOut({ seconds }: { seconds: number | null }) {
  const { t } = useTranslation('monitor');
  if (seconds === null) return t('sellOutNone');
  if (seconds === 0) return t('sellOutDone');
  return t('sellOutIn', { time: formatCountdown(seconds * 1000) });
}

function RoundFigures({ round }: { round: MonitoredRound }) {
  const { t, i18n } = useTranslation('monitor');
  const { t: tErrors } = useTranslation('errors');
  const number = (n: number) => n.toLocaleString(i18n.language);
  const remaining = round.offers.reduce((sum, offer) => sum + offer.remaining, 0);
  const refused = round.refusals.reduce((sum, refusal) => sum + refusal.count, 0);
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Space wrap>
        <Tag color={STATUS_COLOURS[round.status]} data-testid="round-status">
          {t(`status.${round.status}`)}
        </Tag>
        <Typography.Text type="secondary">
          {t('window', {
            opensAt: formatDateTime(round.opensAt, i18n.language),
            closesAt: formatDateTime(round.closesAt, i18n.language),
          })}
        </Typography.Text>
      </Space>
      <Row gutter={[16, 16]}>
        <Col span={5}>
          <Figure title={t('claimsPerSecond')} testId="claims-per-second" value={number(round.claimsPerSecond)} />
        </Col>
        <Col span={5}>
          <Figure title={t('claimed')} testId="claimed" value={number(round.claimed)} />
        </Col>
        <Col span={5}>
          <Figure title={t('remaining')} testId="remaining" value={number(remaining)} />
        </Col>
        <Col span={5}>
          <Figure title={t('sellOut')} testId="sell-out" value={<SellOut seconds={round.sellOutInSeconds} />} />
        </Col>
        <Col span={4}>
          <Figure title={t('refused')} testId="refused" value={number(refused)} />
        </Col>
      </Row>
      <Card size="small" title={<CardTitle>{t('chart')}</CardTitle>}>
        <ClaimsChart round={round} />
      </Card>
      <Row gutter={[16, 16]}>
        <Col span={10}>
          <Card size="small" title={<CardTitle>{t('offers')}</CardTitle>}>
            {round.offers.map((offer) => {
              const label = t('offerProgress', {
                name: offer.name,
                remaining: number(offer.remaining),
                stock: number(offer.stock),
              });
              return (
                <div key={offer.offerId} data-testid={`offer-${offer.offerId}`}>
                  <Typography.Text>{label}</Typography.Text>
                  <Progress
                    aria-label={label}
                    percent={offer.stock === 0 ? 0 : Math.round((offer.remaining / offer.stock) * 1000) / 10}
                    status={offer.remaining === 0 ? 'exception' : 'normal'}
                  />
                </div>
              );
            })}
          </Card>
        </Col>
        <Col span={14}>
          <Card size="small" title={<CardTitle>{t('refusals')}</CardTitle>}>
            <Table
              size="small"
              rowKey="code"
              pagination={false}
              dataSource={round.refusals}
              locale={{ emptyText: <Typography.Text type="secondary">{t('noRefusals')}</Typography.Text> }}
              columns={[
                {
                  title: t('code'),
                  dataIndex: 'code',
                  render: (code: string) => <Typography.Text code>{code}</Typography.Text>,
                },
                // The plain message a resident was shown for that code ({{seconds}}: the wait, unknown here).
                {
                  title: t('meaning'),
                  dataIndex: 'code',
                  key: 'meaning',
                  render: (code: string) => tErrors(code, { seconds: 'N' }),
                },
                { title: t('count'), dataIndex: 'count', align: 'right', render: (count: number) => number(count) },
              ]}
            />
          </Card>
        </Col>
      </Row>
    </Space>
  );
}

function chosenRound(monitor: CampaignMonitor, wanted: string | null): MonitoredRound | undefined {
  const byStatus = (status: MonitoredRound['status']) => monitor.rounds.find((round) => round.status === status);
  return monitor.rounds.find((round) => round.roundId === wanted) ?? PREFERRED.map(byStatus).find(Boolean);
}

/** The campaign's rounds to choose from, and the figures of the one chosen (kept in the URL as ?round=). */
function RoundsView({ monitor }: { monitor: CampaignMonitor }) {
  const { t, i18n } = useTranslation('monitor');
  const [search, setSearch] = useSearchParams();
  const round = chosenRound(monitor, search.get('round'));
  if (!round) return <Empty description={t('noRounds')} />;
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Radio.Group
        aria-label={t('round')}
        optionType="button"
        value={round.roundId}
        onChange={(event) => setSearch({ round: String(event.target.value) }, { replace: true })}
        options={monitor.rounds.map((r) => ({ value: r.roundId, label: `${r.name} · ${t(`status.${r.status}`)}` }))}
      />
      <RoundFigures round={round} />
      <Typography.Text type="secondary" data-testid="updated">
        {t('updated', { time: formatTime(monitor.serverTime, i18n.language) })}
      </Typography.Text>
    </Space>
  );
}

function CampaignMonitorView({ campaignId }: { campaignId: string }) {
  const { t } = useTranslation('monitor');
  const monitor = useMonitor(campaignId);
  // A failed poll keeps the last figures on screen, under a warning; the next interval is its retry.
  const failed = monitor.isError && (
    <Alert
      type={monitor.data ? 'warning' : 'error'}
      showIcon
      title={t('loadFailed') + problemMessage(monitor.error, t)}
    />
  );
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <CampaignPicker current={{ id: campaignId, name: monitor.data?.campaignName ?? campaignId }} />
      {failed}
      {monitor.isPending && <ConsoleLoading />}
      {monitor.data && <RoundsView monitor={monitor.data} />}
    </Space>
  );
}

/** /console/monitor/ and /console/monitor/<campaignId>: pick a campaign, then watch its rounds live. */
export function Component() {
  const { t } = useTranslation('monitor');
  const { campaignId } = useParams();
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Typography.Title level={2} style={{ margin: 0 }}>
        {t('title')}
      </Typography.Title>
      {campaignId ? <CampaignMonitorView key={campaignId} campaignId={campaignId} /> : <CampaignPicker />}
    </Space>
  );
}
