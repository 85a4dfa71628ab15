import { useState } from 'react';
import { Alert, Card, Descriptions, Input, Space, Table, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { businessDay } from '@quan/domain';
import { ApiProblem } from '@quan/web-api';
import { formatDateTime, formatFen } from '@quan/web-core';
import { useAllowed } from '../../access';
import { ConfirmAction } from '../parts/confirm-action';
import { ProblemAlert } from '../parts/problem';
import { useReconciliation, useRequestRun, useRun, type Difference, type Run } from './queries';
import { RUNNERS } from './roles';
import { ToneTag } from '../parts/tone-tag';

const FIGURES = ['redeemedFen', 'settledFen', 'unsettledFen', 'adjustmentsDueFen'] as const;
const KNOWN_CHECKS = new Set([
  'round_counters',
  'budget_counters',
  'redemption_lines',
  'statement_totals',
  'payout_transfers',
  'voucher_redeemed_once',
  'claim_owners',
  'campaign_spend',
  'budget_ledger',
  'subsidy_totals',
]);

/** Checks whose expected and actual figures are amounts of fen (the others compare counts or states). */
const FEN_CHECKS = new Set(['budget_counters', 'redemption_lines', 'statement_totals', 'campaign_spend']);

/** A difference's figure in yuan when it is a plain amount of fen, else as the report words it. */
function shownFigure(difference: Difference, value: string): string {
  return FEN_CHECKS.has(difference.check) && /^-?\d+$/.test(value) ? formatFen(Number(value)) : value;
}

function RunState({ run }: { run: Run }) {
  const { t } = useTranslation('settlement');
  const tone = ({ queued: 'none', running: 'info', succeeded: 'ok', failed: 'bad' } as const)[run.status];
  const outcome = run.settled
    ? t('reconciliation.runSettled', {
        day: run.settled.businessDay,
        merchants: run.settled.merchants,
        lines: run.settled.redemptionLines,
        adjustments: run.settled.adjustmentLines,
      })
    : run.reconciliation
      ? t('reconciliation.runFound', { count: run.reconciliation.differences })
      : run.error;
  return (
    <span role="status">
      <ToneTag tone={tone}>{t(`reconciliation.runState.${run.status}`)}</ToneTag> {outcome}
    </span>
  );
}

/** Reconciliation now, or a past business day settled again; its state polled until it ends. */
function Runs() {
  const { t } = useTranslation('settlement');
  const request = useRequestRun();
  const [runId, setRunId] = useState<string>();
  const run = useRun(runId);
  const [yesterday] = useState(() => businessDay(new Date(Date.now() - 86_400_000)));
  const [day, setDay] = useState(yesterday);
  return (
    <Space wrap>
      <ConfirmAction
        type="primary"
        label={t('reconciliation.run')}
        description={t('reconciliation.runWhat')}
        onConfirm={async () => setRunId((await request.mutateAsync({ kind: 'reconciliation' })).id)}
      />
      <label>
        {t('reconciliation.settleDay')}{' '}
        <Input
          type="date"
          style={{ width: 180 }}
          max={yesterday}
          value={day}
          onChange={(e) => setDay(e.target.value)}
        />
      </label>
      <ConfirmAction
        label={t('reconciliation.settle')}
        description={t('reconciliation.settleWhat', { day })}
        onConfirm={async () => setRunId((await request.mutateAsync({ kind: 'settle_day', businessDay: day })).id)}
      />
      {run.data && <RunState run={run.data} />}
      <ProblemAlert error={run.error} />
    </Space>
  );
}

/** The latest reconciliation report: the figures compared, and each difference with what it means and what to do. */
export function Component() {
  const { t, i18n } = useTranslation('settlement');
  const report = useReconciliation();
  const runner = useAllowed(RUNNERS);
  const r = report.data;
  const notRun = report.error && ApiProblem.from(report.error).code === 'RECONCILIATION_NOT_RUN';
  const columns = [
    {
      key: 'check',
      title: t('reconciliation.columns.check'),
      render: (_: unknown, d: Difference) => <code>{d.check}</code>,
    },
    {
      key: 'meaning',
      title: t('reconciliation.columns.meaning'),
      render: (_: unknown, d: Difference) =>
        KNOWN_CHECKS.has(d.check) ? t(`reconciliation.checks.${d.check}`) : t('reconciliation.unknownCheck'),
    },
    { key: 'subject', title: t('reconciliation.columns.subject'), dataIndex: 'subject' },
    {
      key: 'expected',
      title: t('reconciliation.columns.expected'),
      render: (_: unknown, d: Difference) => shownFigure(d, d.expected),
    },
    {
      key: 'actual',
      title: t('reconciliation.columns.actual'),
      render: (_: unknown, d: Difference) => shownFigure(d, d.actual),
    },
  ];
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      {runner && <Runs />}
      {notRun ? <Alert type="warning" title={t('reconciliation.none')} /> : <ProblemAlert error={report.error} />}
      {r && (
        <Card title={t('reconciliation.latest')}>
          <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
            <Typography.Text>
              {t('reconciliation.ranAt')}：{formatDateTime(r.ranAt, i18n.language)}
            </Typography.Text>
            {r.ok ? (
              <Alert type="success" showIcon title={t('reconciliation.ok')} />
            ) : (
              <Alert type="error" showIcon title={t('reconciliation.differences', { count: r.differences.length })} />
            )}
            <Descriptions bordered size="small" column={2}>
              {FIGURES.map((figure) => (
                <Descriptions.Item key={figure} label={t(`reconciliation.figures.${figure}`)}>
                  {r.figures[figure] === undefined ? '—' : formatFen(Number(r.figures[figure]))}
                </Descriptions.Item>
              ))}
            </Descriptions>
            {!r.ok && (
              <Table<Difference>
                rowKey={(d) => `${d.check}|${d.subject}`}
                size="small"
                columns={columns}
                dataSource={r.differences}
                pagination={{ pageSize: 20, showSizeChanger: false }}
              />
            )}
          </Space>
        </Card>
      )}
    </Space>
  );
}
