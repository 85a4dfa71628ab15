import { EntityManager, In } from 'typeorm';
import { Campaign, OfferItem, Round, RoundOffer, VoucherType } from '@quan/data';
import {
  CampaignLimits,
  CampaignPlan,
  Eligibility,
  maxBureauSubsidyFen,
  OfferRule,
  VoucherRule,
  worstCaseSubsidyFen,
} from '@quan/domain';
import { CampaignDto, CampaignSummaryDto, OfferDto, RoundDto, VoucherTypeDto } from './campaigns.dto';

/** A campaign with everything its plan consists of, as stored (flat, in display order). */
export interface CampaignAggregate {
  campaign: Campaign;
  voucherTypes: VoucherType[];
  rounds: Round[];
  offers: RoundOffer[];
  items: OfferItem[];
}

export async function loadAggregate(manager: EntityManager, campaign: Campaign): Promise<CampaignAggregate> {
  const voucherTypes = await manager.find(VoucherType, {
    where: { campaignId: campaign.id },
    order: { name: 'ASC', id: 'ASC' },
  });
  const rounds = await manager.find(Round, {
    where: { campaignId: campaign.id },
    order: { opensAt: 'ASC', id: 'ASC' },
  });
  const offers = rounds.length
    ? await manager.find(RoundOffer, {
        where: { roundId: In(rounds.map((r) => r.id)) },
        order: { sortOrder: 'ASC', name: 'ASC' },
      })
    : [];
  const items = offers.length ? await manager.find(OfferItem, { where: { offerId: In(offers.map((o) => o.id)) } }) : [];
  return { campaign, voucherTypes, rounds, offers, items };
}

const iso = (date: Date | null) => (date === null ? null : date.toISOString());

function offersOf(aggregate: CampaignAggregate, roundId: string): { offer: RoundOffer; items: OfferItem[] }[] {
  return aggregate.offers
    .filter((offer) => offer.roundId === roundId)
    .map((offer) => ({ offer, items: aggregate.items.filter((item) => item.offerId === offer.id) }));
}

export function voucherRule(type: VoucherType): VoucherRule {
  return {
    id: type.id,
    kind: type.kind,
    thresholdFen: type.thresholdFen,
    discountFen: type.discountFen,
    percentOff: type.percentOff,
    capFen: type.capFen,
    categoryCodes: type.categoryCodes,
    validityKind: type.validityKind,
    validFrom: type.validFrom,
    validUntil: type.validUntil,
    validDays: type.validDays,
    bureauShareBp: type.bureauShareBp,
  };
}

const offerRule = ({ offer, items }: { offer: RoundOffer; items: OfferItem[] }): OfferRule => ({
  name: offer.name,
  stock: offer.stock,
  items: items.map((item) => ({ voucherTypeId: item.voucherTypeId, quantity: item.quantity })),
});

function limitsOf(campaign: Campaign): CampaignLimits {
  return {
    perPerson: campaign.perPersonLimit,
    perPersonPerRound: campaign.perPersonRoundLimit,
    perPersonPerDay: campaign.perPersonDailyLimit,
    perPersonPerCategory: campaign.perPersonCategoryLimits,
    merchantDailyRedemptions: campaign.merchantDailyRedemptionLimit,
    merchantDailySubsidyCapFen: campaign.merchantDailySubsidyCapFen,
  };
}

function eligibilityOf(campaign: Campaign): Eligibility {
  return {
    categoryCodes: campaign.eligibleCategoryCodes,
    countyCodes: campaign.eligibleCountyCodes,
    allowMerchantIds: campaign.merchantAllowIds,
    denyMerchantIds: campaign.merchantDenyIds,
    aboveQuotaOnly: campaign.aboveQuotaOnly,
  };
}

/** The plan the domain rules check. */
export function toPlan(aggregate: CampaignAggregate): CampaignPlan {
  const { campaign } = aggregate;
  return {
    budgetFen: campaign.budgetFen,
    issueBeyondBudget: campaign.issueBeyondBudget,
    startsAt: campaign.startsAt,
    endsAt: campaign.endsAt,
    scopeCountyCode: campaign.scopeCountyCode,
    limits: limitsOf(campaign),
    eligibility: eligibilityOf(campaign),
    voucherTypes: aggregate.voucherTypes.map(voucherRule),
    rounds: aggregate.rounds.map((round) => ({
      id: round.id,
      mode: round.mode,
      opensAt: round.opensAt,
      closesAt: round.closesAt,
      drawAt: round.drawAt,
      rollForwardToId: round.rollForwardToId,
      offers: offersOf(aggregate, round.id).map(offerRule),
    })),
  };
}

export function toSummary(campaign: Campaign): CampaignSummaryDto {
  return {
    id: campaign.id,
    code: campaign.code,
    name: campaign.name,
    status: campaign.status,
    scopeCountyCode: campaign.scopeCountyCode,
    budgetFen: campaign.budgetFen,
    issueBeyondBudget: campaign.issueBeyondBudget,
    startsAt: campaign.startsAt.toISOString(),
    endsAt: campaign.endsAt.toISOString(),
    limits: limitsOf(campaign),
    eligibility: eligibilityOf(campaign),
    createdById: campaign.createdById,
    makerIds: campaign.makerIds,
    approvedById: campaign.approvedById,
    approvedAt: iso(campaign.approvedAt),
    reviewNote: campaign.reviewNote,
    version: campaign.version,
    updatedAt: campaign.updatedAt.toISOString(),
  };
}

function toVoucherTypeDto(type: VoucherType): VoucherTypeDto {
  const rule = voucherRule(type);
  return {
    ...rule,
    name: type.name,
    validFrom: iso(rule.validFrom),
    validUntil: iso(rule.validUntil),
    maxBureauSubsidyFen: Number(maxBureauSubsidyFen(rule)),
  };
}

function toRoundDto(aggregate: CampaignAggregate, round: Round): RoundDto {
  const offers: OfferDto[] = offersOf(aggregate, round.id).map((entry) => ({
    id: entry.offer.id,
    ...offerRule(entry),
  }));
  return {
    id: round.id,
    name: round.name,
    mode: round.mode,
    opensAt: round.opensAt.toISOString(),
    closesAt: round.closesAt.toISOString(),
    drawAt: iso(round.drawAt),
    rollForwardToRoundId: round.rollForwardToId,
    paused: round.paused,
    offers,
  };
}

/** The whole campaign as the API (and the audit log) shows it. */
export function toDto(aggregate: CampaignAggregate): CampaignDto {
  return {
    ...toSummary(aggregate.campaign),
    paused: aggregate.rounds.length > 0 && aggregate.rounds.every((r) => r.paused),
    worstCaseSubsidyFen: Number(worstCaseSubsidyFen(toPlan(aggregate))),
    voucherTypes: aggregate.voucherTypes.map(toVoucherTypeDto),
    rounds: aggregate.rounds.map((round) => toRoundDto(aggregate, round)),
  };
}
