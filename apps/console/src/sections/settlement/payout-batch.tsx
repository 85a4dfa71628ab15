import { useState } from 'react';
import { Button, Descriptions, Space, Table, Typography } from 'antd';
import { DownloadOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { formatDateTime, formatFen } from '@quan/web-core';
import { useAllowed } from '../../access';
import { ConfirmAction } from '../parts/confirm-action';
import { ProblemAlert } from '../parts/problem';
import { FINANCE } from './roles';
import { payoutCsv, saveBlob, useMarkTransfer, usePayoutBatch, type Transfer } from './queries';
import { ToneTag } from '../parts/tone-tag';
import { RouteLink } from '../parts/route-link';

const TRANSFER_TONES = { pending: 'info', paid: 'ok', failed: 'bad' } as const;

/** One batch: its transfers, the file for the bank, and the outcome of each transfer as the bank reports it. */
export function Component() {
  const { id = '' } = useParams();
  const { t, i18n } = useTranslation('settlement');
  const batch = usePayoutBatch(id);
  const mark = useMarkTransfer(id);
  const finance = useAllowed(FINANCE);
  const [downloading, setDownloading] = useState(false);
  const [downloadError, setDownloadError] = useState<unknown>();
  const b = batch.data;

  async function download() {
    setDownloading(true);
    setDownloadError(undefined);
    try {
      saveBlob(await payoutCsv(id), `payout-${id}.csv`);
    } catch (error) {
      setDownloadError(error);
    } finally {
      setDownloading(false);
    }
  }

  const outcome = (transfer: Transfer) => {
    const what = { merchant: transfer.merchantName, amount: formatFen(transfer.amountFen) };
    if (!finance || transfer.status !== 'pending') return null;
    return (
      <Space>
        <ConfirmAction
          size="small"
          type="primary"
          label={t('payouts.paid')}
          description={t('payouts.paidWhat', what)}
          onConfirm={() => mark.mutateAsync({ transferId: transfer.id, status: 'paid' })}
        />
        <ConfirmAction
          size="small"
          danger
          label={t('payouts.failed')}
          description={t('payouts.failedWhat', what)}
          onConfirm={() => mark.mutateAsync({ transferId: transfer.id, status: 'failed' })}
        />
      </Space>
    );
  };
  const columns = [
    { key: 'merchant', title: t('payouts.merchant'), dataIndex: 'merchantName' },
    {
      key: 'amount',
      title: t('payouts.amount'),
      align: 'right' as const,
      render: (_: unknown, tr: Transfer) => formatFen(tr.amountFen),
    },
    {
      key: 'reference',
      title: t('payouts.reference'),
      render: (_: unknown, tr: Transfer) => <code>{tr.reference}</code>,
    },
    {
      key: 'statements',
      title: t('payouts.statements'),
      render: (_: unknown, tr: Transfer) => tr.statements.map((s) => s.businessDay).join(', '),
    },
    {
      key: 'status',
      title: t('payouts.status'),
      render: (_: unknown, tr: Transfer) => (
        <ToneTag tone={TRANSFER_TONES[tr.status]}>{t(`payout.${tr.status}`)}</ToneTag>
      ),
    },
    { key: 'actions', title: t('payouts.actions'), render: (_: unknown, tr: Transfer) => outcome(tr) },
  ];
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <RouteLink to="../payouts">{t('payouts.back')}</RouteLink>
      <ProblemAlert error={batch.error} />
      {b && (
        <>
          <Typography.Title level={3}>{formatDateTime(b.createdAt, i18n.language)}</Typography.Title>
          <Descriptions bordered size="small" column={3}>
            <Descriptions.Item label={t('statements.status')}>{t(`batchStatus.${b.status}`)}</Descriptions.Item>
            <Descriptions.Item label={t('payouts.total')}>{formatFen(b.totalFen)}</Descriptions.Item>
            <Descriptions.Item label={t('payouts.transfers')}>{b.transfers.length}</Descriptions.Item>
          </Descriptions>
          <Space wrap>
            <Button icon={<DownloadOutlined />} loading={downloading} onClick={() => void download()}>
              {t('payouts.csv')}
            </Button>
            <Typography.Text type="secondary">{t('payouts.csvHelp')}</Typography.Text>
          </Space>
          <ProblemAlert error={downloadError} />
          <Table<Transfer> rowKey="id" columns={columns} dataSource={b.transfers} pagination={false} />
        </>
      )}
    </Space>
  );
}
