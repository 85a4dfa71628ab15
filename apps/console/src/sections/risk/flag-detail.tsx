import { Alert, Card, Descriptions, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { useAccount, useAllowed, OPERATORS } from '../../access';
import { Chart } from '../dashboard/chart';
import { ConfirmAction } from '../parts/confirm-action';
import { ProblemAlert } from '../parts/problem';
import { RouteLink } from '../parts/route-link';
import { SeverityTag, StatusTag } from './parts';
import { useFlag, useFlagStep, useMerchantRisk, type FlagDetail } from './queries';

interface Evidence {
  figures?: Record<string, number | null>;
  redemptionIds?: string[];
  identityIds?: string[];
}

/** The steps an operator may take on the flag: propose clearing, confirm another's proposal, confirm the abuse. */
function FlagActions({ flag }: { flag: FlagDetail }) {
  const { t } = useTranslation('risk');
  const step = useFlagStep();
  const operator = useAllowed(OPERATORS);
  const me = useAccount()?.id;
  if (!operator || (flag.status !== 'open' && flag.status !== 'clearing')) return null;
  const run = (which: 'propose-clear' | 'clear' | 'confirm', suspendMerchant?: boolean) => (reason: string) =>
    step.mutateAsync({ id: flag.id, step: which, reason, suspendMerchant });
  return (
    <Space wrap>
      {flag.status === 'open' && (
        <ConfirmAction
          label={t('proposeClear')}
          description={t('proposeWhat')}
          reasonLabel={t('reason')}
          onConfirm={run('propose-clear')}
        />
      )}
      {flag.status === 'clearing' &&
        (flag.proposedById === me ? (
          <Typography.Text type="secondary">{t('ownProposal')}</Typography.Text>
        ) : (
          <ConfirmAction
            type="primary"
            label={t('clear')}
            description={t('clearWhat')}
            reasonLabel={t('reason')}
            onConfirm={run('clear')}
          />
        ))}
      <ConfirmAction
        danger
        label={t('confirm')}
        description={t('confirmWhat')}
        reasonLabel={t('reason')}
        onConfirm={run('confirm')}
      />
      {flag.merchantId && (
        <ConfirmAction
          danger
          label={t('suspend')}
          description={t('confirmWhat')}
          reasonLabel={t('reason')}
          onConfirm={run('confirm', true)}
        />
      )}
    </Space>
  );
}

/** The merchant's order amounts against its category's in the city, share per 10-yuan bucket. */
function AmountsChart({ merchantId }: { merchantId: string }) {
  const { t } = useTranslation('risk');
  const summary = useMerchantRisk(merchantId);
  if (!summary.data) return <ProblemAlert error={summary.error} />;
  const buckets = summary.data.orderAmounts;
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      {summary.data.held && (
        <Alert
          type="warning"
          title={t('held', {
            rule: t(`rule.${summary.data.flags.find((f) => f.id === summary.data.holdingFlagId)?.rule ?? 'burst'}`),
          })}
        />
      )}
      <Chart
        testId="risk-amounts-chart"
        label={t('chart', { merchant: summary.data.merchantName })}
        option={{
          tooltip: { trigger: 'axis' },
          legend: { data: [t('chartMerchant'), t('chartCity')] },
          xAxis: { type: 'category', data: buckets.map((b) => `¥${b.fromFen / 100}`) },
          yAxis: { type: 'value', axisLabel: { formatter: (v: number) => `${Math.round(v * 100)}%` } },
          series: [
            { name: t('chartMerchant'), type: 'bar', data: buckets.map((b) => b.merchantShare) },
            { name: t('chartCity'), type: 'bar', data: buckets.map((b) => b.cityShare) },
          ],
        }}
      />
    </Space>
  );
}

/** One flag: what it says, its evidence, the merchant's chart, and the steps to deal with it. */
export function Component() {
  const { t } = useTranslation('risk');
  const { id = '' } = useParams();
  const flag = useFlag(id);
  if (!flag.data) return <ProblemAlert error={flag.error} />;
  const f = flag.data;
  const evidence = f.evidence as Evidence;
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <RouteLink to="..">{t('back')}</RouteLink>
      <Typography.Title level={2}>
        {t(`rule.${f.rule}`)} · {f.merchantName ?? t('cityWide')}
      </Typography.Title>
      <Space>
        <SeverityTag flag={f} />
        <StatusTag flag={f} />
        <Typography.Text type="secondary">{t('version', { version: f.ruleVersion })}</Typography.Text>
      </Space>
      <Typography.Paragraph>{f.summary}</Typography.Paragraph>
      <FlagActions flag={f} />
      {f.proposedReason && <Alert type="info" title={`${t('proposedBy')}：${f.proposedReason}`} />}
      {f.decidedReason && <Alert type="info" title={`${t('decidedBy')}：${f.decidedReason}`} />}
      <Card size="small" title={t('figures')}>
        <Descriptions
          size="small"
          column={2}
          items={Object.entries(evidence.figures ?? {}).map(([key, value]) => ({
            key,
            label: key,
            children: value === null ? '—' : String(value),
          }))}
        />
      </Card>
      {f.merchantId && <AmountsChart merchantId={f.merchantId} />}
      <Card size="small" title={evidence.identityIds ? t('identities') : t('redemptions')}>
        <Typography.Paragraph copyable={false} style={{ fontFamily: 'monospace', fontSize: 12 }}>
          {(evidence.identityIds ?? evidence.redemptionIds ?? []).join('\n')}
        </Typography.Paragraph>
      </Card>
    </Space>
  );
}
