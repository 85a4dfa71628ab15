import { Card, Descriptions, Typography } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ok } from '@quan/web-api';
import { formatDateTime } from '@quan/web-core';
import { api } from '../../runtime';
import type { Round } from './data';

/** A lottery round's draw as the public sees it (GET /rounds/{id}/lottery), read-only. */
export function LotteryDrawCard({ round }: { round: Round }) {
  const { t, i18n } = useTranslation('campaigns');
  const draw = useQuery({
    queryKey: ['lottery', round.id],
    queryFn: () => ok(api.GET('/api/v1/rounds/{roundId}/lottery', { params: { path: { roundId: round.id } } })),
  });
  const path = `/api/v1/rounds/${round.id}/lottery`;
  const hash = (value: string | null | undefined) =>
    value ? (
      <Typography.Text code copyable>
        {value}
      </Typography.Text>
    ) : (
      t('lottery.notDrawn')
    );
  return (
    <Card title={t('lottery.title', { round: round.name })} size="small" loading={draw.isLoading}>
      {draw.data && (
        <Descriptions column={1} size="small" bordered>
          <Descriptions.Item label={t('lottery.algorithm')}>
            {draw.data.algorithm} v{draw.data.algorithmVersion}
          </Descriptions.Item>
          <Descriptions.Item label={t('lottery.commitment')}>{hash(draw.data.commitment)}</Descriptions.Item>
          <Descriptions.Item label={t('lottery.drawAt')}>
            {formatDateTime(draw.data.drawAt, i18n.language)}
          </Descriptions.Item>
          <Descriptions.Item label={t('lottery.drawnAt')}>
            {draw.data.drawnAt ? formatDateTime(draw.data.drawnAt, i18n.language) : t('lottery.notDrawn')}
          </Descriptions.Item>
          <Descriptions.Item label={t('lottery.registrations')}>{draw.data.registrations}</Descriptions.Item>
          <Descriptions.Item label={t('lottery.stock')}>{draw.data.stock}</Descriptions.Item>
          <Descriptions.Item label={t('lottery.seed')}>{hash(draw.data.seed)}</Descriptions.Item>
          <Descriptions.Item label={t('lottery.root')}>{hash(draw.data.merkleRoot)}</Descriptions.Item>
          <Descriptions.Item label={t('lottery.winners')}>{draw.data.winners.length}</Descriptions.Item>
        </Descriptions>
      )}
      <Typography.Paragraph type="secondary" style={{ marginTop: 8, marginBottom: 0 }}>
        {t('lottery.verify', { url: path })}
      </Typography.Paragraph>
    </Card>
  );
}
