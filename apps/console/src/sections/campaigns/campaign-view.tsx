import { Card, Descriptions, Space, Table, Tag, Typography } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDateTime, formatFen } from '@quan/web-core';
import type { Campaign, Round, VoucherType } from './data';
import { useReference } from '../parts/reference';
import { LotteryDrawCard } from './lottery-draw';

type Offer = Round['offers'][number];

/** A voucher type's rule in words: 满50减10, 直减5, 20% off up to 30. */
export function useRuleText(): (type: VoucherType) => string {
  const { t } = useTranslation('campaigns');
  return (type) => {
    const fen = (value: number | null | undefined) => formatFen(value ?? 0, { compact: true });
    if (type.kind === 'threshold')
      return t('types.ruleThreshold', { threshold: fen(type.thresholdFen), discount: fen(type.discountFen) });
    if (type.kind === 'fixed') return t('types.ruleFixed', { discount: fen(type.discountFen) });
    return t('types.rulePercent', { percent: type.percentOff, cap: fen(type.capFen) });
  };
}

export function StatusTag({ status }: { status: Campaign['status'] }) {
  const { t } = useTranslation('campaigns');
  // Solid tags of the theme's dark colours: white text on them meets WCAG AA, antd's light presets do not all.
  const color = {
    draft: 'default',
    pending_approval: '#8a4b00',
    published: '#0b5cab',
    running: '#1e6b2e',
    ended: 'default',
    archived: 'default',
  }[status];
  return <Tag color={color}>{t(`status.${status}`)}</Tag>;
}

export function VoucherTypesTable({
  campaign,
  extra,
}: {
  campaign: Campaign;
  extra?: (type: VoucherType) => ReactNode;
}) {
  const { t, i18n } = useTranslation('campaigns');
  const rule = useRuleText();
  return (
    <Table<VoucherType>
      rowKey="id"
      size="small"
      pagination={false}
      dataSource={campaign.voucherTypes}
      columns={[
        { title: t('types.name'), dataIndex: 'name' },
        { title: t('types.kind'), render: (_, type) => t(`kind.${type.kind}`) },
        { title: t('types.rule'), render: (_, type) => rule(type) },
        {
          title: t('types.validityKind'),
          render: (_, type) =>
            type.validityKind === 'days_from_claim'
              ? t('types.days', { days: type.validDays })
              : `${formatDateTime(type.validFrom!, i18n.language)} – ${formatDateTime(type.validUntil!, i18n.language)}`,
        },
        { title: t('types.share'), render: (_, type) => `${(type.bureauShareBp ?? 10000) / 100}%` },
        { title: t('types.maxSubsidy'), render: (_, type) => formatFen(type.maxBureauSubsidyFen) },
        ...(extra ? [{ key: 'extra', render: (_: unknown, type: VoucherType) => extra(type) }] : []),
      ]}
    />
  );
}

export function RoundsTable({
  campaign,
  roundExtra,
  offerExtra,
}: {
  campaign: Campaign;
  roundExtra?: (round: Round) => ReactNode;
  offerExtra?: (round: Round, offer: Offer) => ReactNode;
}) {
  const { t, i18n } = useTranslation('campaigns');
  const typeName = (id: string) => campaign.voucherTypes.find((type) => type.id === id)?.name ?? id;
  return (
    <Table<Round>
      rowKey="id"
      size="small"
      pagination={false}
      dataSource={campaign.rounds}
      columns={[
        {
          title: t('rounds.name'),
          render: (_, round) => (
            <Space>
              {round.name}
              {round.paused && <Tag color="#8a4b00">{t('rounds.paused')}</Tag>}
            </Space>
          ),
        },
        { title: t('rounds.mode'), render: (_, round) => t(`mode.${round.mode}`) },
        { title: t('rounds.opensAt'), render: (_, round) => formatDateTime(round.opensAt, i18n.language) },
        { title: t('rounds.closesAt'), render: (_, round) => formatDateTime(round.closesAt, i18n.language) },
        {
          title: t('rounds.offers'),
          render: (_, round) => (
            <Space direction="vertical" size={2}>
              {round.offers.map((offer) => (
                <Space key={offer.id} wrap>
                  <span>
                    {offer.name} · {t('rounds.stock')} {offer.stock} ·{' '}
                    {offer.items.map((item) => `${typeName(item.voucherTypeId)}×${item.quantity}`).join(' + ')}
                  </span>
                  {offerExtra?.(round, offer)}
                </Space>
              ))}
            </Space>
          ),
        },
        ...(roundExtra ? [{ key: 'extra', render: (_: unknown, round: Round) => roundExtra(round) }] : []),
      ]}
    />
  );
}

/** The whole configuration of a campaign, read-only: what an approver checks and an auditor reads. */
export function CampaignView({
  campaign,
  offerExtra,
}: {
  campaign: Campaign;
  offerExtra?: (round: Round, offer: Offer) => ReactNode;
}) {
  const { t, i18n } = useTranslation('campaigns');
  const { countyName, categoryName } = useReference();
  const { limits, eligibility } = campaign;
  const limitText = [
    t('detail.perPerson', { n: limits.perPerson }),
    limits.perPersonPerRound ? t('detail.perRound', { n: limits.perPersonPerRound }) : undefined,
    limits.perPersonPerDay ? t('detail.perDay', { n: limits.perPersonPerDay }) : undefined,
    limits.merchantDailyRedemptions ? t('detail.merchantDaily', { n: limits.merchantDailyRedemptions }) : undefined,
    limits.merchantDailySubsidyCapFen
      ? t('detail.merchantCap', { cap: formatFen(limits.merchantDailySubsidyCapFen) })
      : undefined,
  ].filter(Boolean);
  const list = (codes: string[] | undefined, name: (code: string) => string, all: string) =>
    codes?.length ? codes.map(name).join('、') : all;
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Card title={t('detail.config')} size="small">
        <Descriptions column={2} size="small" bordered>
          <Descriptions.Item label={t('basics.code')}>{campaign.code}</Descriptions.Item>
          <Descriptions.Item label={t('basics.name')}>{campaign.name}</Descriptions.Item>
          <Descriptions.Item label={t('list.status')}>
            <StatusTag status={campaign.status} />
          </Descriptions.Item>
          <Descriptions.Item label={t('scope.scope')}>
            {campaign.scopeCountyCode ? countyName(campaign.scopeCountyCode) : t('list.cityWide')}
          </Descriptions.Item>
          <Descriptions.Item label={t('basics.budget')}>
            <span data-testid="budget">{formatFen(campaign.budgetFen)}</span>
            {campaign.issueBeyondBudget && <Tag style={{ marginLeft: 8 }}>{t('basics.beyond')}</Tag>}
          </Descriptions.Item>
          <Descriptions.Item label={t('submit.worstCase')}>
            <Typography.Text type={campaign.worstCaseSubsidyFen > campaign.budgetFen ? 'danger' : undefined}>
              {formatFen(campaign.worstCaseSubsidyFen)}
            </Typography.Text>
          </Descriptions.Item>
          <Descriptions.Item label={t('list.window')} span={2}>
            {formatDateTime(campaign.startsAt, i18n.language)} – {formatDateTime(campaign.endsAt, i18n.language)}
          </Descriptions.Item>
          <Descriptions.Item label={t('detail.limits')} span={2}>
            {limitText.join('；')}
          </Descriptions.Item>
          <Descriptions.Item label={t('detail.counties')}>
            {list(eligibility.countyCodes, countyName, t('detail.allCounties'))}
          </Descriptions.Item>
          <Descriptions.Item label={t('detail.categories')}>
            {list(eligibility.categoryCodes, categoryName, t('detail.allCategories'))}
          </Descriptions.Item>
          <Descriptions.Item label={t('detail.allow')}>{eligibility.allowMerchantIds?.length ?? 0}</Descriptions.Item>
          <Descriptions.Item label={t('detail.deny')}>{eligibility.denyMerchantIds?.length ?? 0}</Descriptions.Item>
          <Descriptions.Item label={t('detail.aboveQuotaOnly')}>
            {eligibility.aboveQuotaOnly ? t('detail.yes') : t('detail.no')}
          </Descriptions.Item>
          <Descriptions.Item label={t('detail.version')}>{campaign.version}</Descriptions.Item>
        </Descriptions>
      </Card>
      <Card title={t('detail.types')} size="small">
        <VoucherTypesTable campaign={campaign} />
      </Card>
      <Card title={t('detail.rounds')} size="small">
        <RoundsTable campaign={campaign} offerExtra={offerExtra} />
      </Card>
      {campaign.status !== 'draft' &&
        campaign.status !== 'pending_approval' &&
        campaign.rounds
          .filter((round) => round.mode === 'lottery')
          .map((round) => <LotteryDrawCard key={round.id} round={round} />)}
    </Space>
  );
}
