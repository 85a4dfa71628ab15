import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource, FindOptionsWhere } from 'typeorm';
import { StaffPrincipal } from '@quan/auth';
import { Campaign, OfferItem, Round, RoundOffer, VoucherType } from '@quan/data';
import { CampaignAction, CampaignStatus, DomainError, ErrorCode, fen, Fen } from '@quan/domain';
import { ChangeSubject } from './body-pointers';
import { CampaignAggregate, loadAggregate, toDto, toSummary } from './campaign-aggregate';
import { assertMayChange, CampaignWriter, NOTHING_TO_PERSIST, Persist, visibleCampaigns } from './campaign-writer';
import {
  CampaignChangesDto,
  CampaignDto,
  CampaignPageDto,
  CampaignQueryDto,
  CITY_SCOPE,
  EligibilityDto,
  LimitsDto,
  NewCampaignDto,
  RoundDto,
  RoundInputDto,
  VoucherTypeDto,
  VoucherTypeInputDto,
} from './campaigns.dto';

const date = (value: string) => new Date(value);
const optionalDate = (value: string | null | undefined) => (value ? new Date(value) : null);
const optionalFen = (value: number | null | undefined): Fen | null =>
  value === null || value === undefined ? null : fen(value);

function applyLimits(campaign: Campaign, limits: LimitsDto): void {
  Object.assign(campaign, {
    perPersonLimit: limits.perPerson,
    perPersonRoundLimit: limits.perPersonPerRound ?? null,
    perPersonDailyLimit: limits.perPersonPerDay ?? null,
    perPersonCategoryLimits: limits.perPersonPerCategory ?? {},
    merchantDailyRedemptionLimit: limits.merchantDailyRedemptions ?? null,
    merchantDailySubsidyCapFen: optionalFen(limits.merchantDailySubsidyCapFen),
  });
}

function applyEligibility(campaign: Campaign, eligibility: EligibilityDto): void {
  Object.assign(campaign, {
    eligibleCategoryCodes: [...new Set(eligibility.categoryCodes ?? [])],
    eligibleCountyCodes: [...new Set(eligibility.countyCodes ?? [])],
    merchantAllowIds: [...new Set(eligibility.allowMerchantIds ?? [])],
    merchantDenyIds: [...new Set(eligibility.denyMerchantIds ?? [])],
    aboveQuotaOnly: eligibility.aboveQuotaOnly ?? false,
  });
}

function applyVoucherType(type: VoucherType, dto: VoucherTypeInputDto): VoucherType {
  return Object.assign(type, {
    name: dto.name,
    kind: dto.kind,
    thresholdFen: fen(dto.thresholdFen ?? 0),
    discountFen: optionalFen(dto.discountFen),
    percentOff: dto.percentOff ?? null,
    capFen: optionalFen(dto.capFen),
    categoryCodes: [...new Set(dto.categoryCodes ?? [])],
    validityKind: dto.validityKind,
    validFrom: optionalDate(dto.validFrom),
    validUntil: optionalDate(dto.validUntil),
    validDays: dto.validDays ?? null,
    bureauShareBp: dto.bureauShareBp ?? 10000,
  });
}

const CAMPAIGN: ChangeSubject = { kind: 'campaign' };
const NO_BODY: ChangeSubject = { kind: 'none' };

function findIn<T extends { id: string }>(rows: T[], id: string, code: ErrorCode, what: string): T {
  const row = rows.find((r) => r.id === id);
  if (!row) throw new DomainError(code, `This campaign has no ${what} ${id}`);
  return row;
}

const voucherTypeOf = (campaign: CampaignDto, typeId: string) =>
  findIn(campaign.voucherTypes, typeId, ErrorCode.VoucherTypeNotFound, 'voucher type');
const roundOf = (campaign: CampaignDto, roundId: string) =>
  findIn(campaign.rounds, roundId, ErrorCode.RoundNotFound, 'round');

/** Builds a round's offers and their items (with their ids, so the plan can be checked before storing). */
function buildOffers(roundId: string, dto: RoundInputDto): { offers: RoundOffer[]; items: OfferItem[] } {
  const offers: RoundOffer[] = [];
  const items: OfferItem[] = [];
  dto.offers.forEach((input, sortOrder) => {
    const offer = Object.assign(new RoundOffer(), {
      id: randomUUID(),
      roundId,
      name: input.name,
      stock: input.stock,
      sortOrder,
    });
    offers.push(offer);
    items.push(
      ...input.items.map((item) =>
        Object.assign(new OfferItem(), {
          offerId: offer.id,
          voucherTypeId: item.voucherTypeId,
          quantity: item.quantity,
        }),
      ),
    );
  });
  return { offers, items };
}

function applyRound(round: Round, dto: RoundInputDto): Round {
  return Object.assign(round, {
    name: dto.name,
    mode: dto.mode,
    opensAt: date(dto.opensAt),
    closesAt: date(dto.closesAt),
    drawAt: optionalDate(dto.drawAt),
    rollForwardToId: dto.rollForwardToRoundId ?? null,
  });
}

/** Stores offers and items; a round's old offers are deleted first (their items go with them). */
const storeOffers =
  (roundId: string | null, offers: RoundOffer[], items: OfferItem[]): Persist =>
  async (manager) => {
    if (roundId) await manager.delete(RoundOffer, { roundId });
    if (offers.length) await manager.insert(RoundOffer, offers);
    if (items.length) await manager.insert(OfferItem, items);
  };

/** Reading campaigns and editing drafts: campaign fields, voucher types, rounds and their offers. */
@Injectable()
export class CampaignsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly writer: CampaignWriter,
  ) {}

  async list(principal: StaffPrincipal, query: CampaignQueryDto): Promise<CampaignPageDto> {
    const where: FindOptionsWhere<Campaign> = query.status ? { status: query.status } : {};
    const scope =
      query.scopeCountyCode === undefined
        ? undefined
        : query.scopeCountyCode === CITY_SCOPE
          ? null
          : query.scopeCountyCode;
    const alternatives = visibleCampaigns(principal, where, scope);
    if (alternatives.length === 0) return { items: [], total: 0 };
    const [campaigns, total] = await this.dataSource.getRepository(Campaign).findAndCount({
      where: alternatives,
      order: { startsAt: 'DESC', code: 'ASC' },
      take: query.limit,
      skip: query.offset,
    });
    return { items: campaigns.map(toSummary), total };
  }

  async get(principal: StaffPrincipal, id: string): Promise<CampaignDto> {
    const manager = this.dataSource.manager;
    return toDto(await loadAggregate(manager, await this.writer.find(manager, principal, id, false)));
  }

  async voucherType(principal: StaffPrincipal, id: string, typeId: string): Promise<VoucherTypeDto> {
    return voucherTypeOf(await this.get(principal, id), typeId);
  }

  async round(principal: StaffPrincipal, id: string, roundId: string): Promise<RoundDto> {
    return roundOf(await this.get(principal, id), roundId);
  }

  create(principal: StaffPrincipal, dto: NewCampaignDto): Promise<CampaignDto> {
    const campaign = Object.assign(new Campaign(), {
      code: dto.code,
      name: dto.name,
      scopeCountyCode: dto.scopeCountyCode ?? null,
      budgetFen: fen(dto.budgetFen),
      issueBeyondBudget: dto.issueBeyondBudget ?? false,
      status: CampaignStatus.Draft,
      startsAt: date(dto.startsAt),
      endsAt: date(dto.endsAt),
      createdById: principal.id,
      makerIds: [principal.id],
      approvedById: null,
      approvedAt: null,
      reviewNote: null,
    });
    applyLimits(campaign, dto.limits);
    applyEligibility(campaign, dto.eligibility ?? {});
    return this.writer.create(principal, campaign);
  }

  update(principal: StaffPrincipal, id: string, dto: CampaignChangesDto): Promise<CampaignDto> {
    return this.edit(principal, id, 'campaign.update', CAMPAIGN, ({ campaign }) => {
      if (dto.scopeCountyCode !== undefined) {
        assertMayChange(principal, dto.scopeCountyCode);
        campaign.scopeCountyCode = dto.scopeCountyCode;
      }
      if (dto.name !== undefined) campaign.name = dto.name;
      if (dto.budgetFen !== undefined) campaign.budgetFen = fen(dto.budgetFen);
      if (dto.issueBeyondBudget !== undefined) campaign.issueBeyondBudget = dto.issueBeyondBudget;
      if (dto.startsAt !== undefined) campaign.startsAt = date(dto.startsAt);
      if (dto.endsAt !== undefined) campaign.endsAt = date(dto.endsAt);
      if (dto.limits !== undefined) applyLimits(campaign, dto.limits);
      if (dto.eligibility !== undefined) applyEligibility(campaign, dto.eligibility);
      return NOTHING_TO_PERSIST;
    });
  }

  async addVoucherType(principal: StaffPrincipal, id: string, dto: VoucherTypeInputDto): Promise<VoucherTypeDto> {
    const typeId = randomUUID();
    const campaign = await this.edit(
      principal,
      id,
      'campaign.voucher_type.create',
      { kind: 'voucherType', id: typeId },
      (aggregate) => {
        const type = applyVoucherType(Object.assign(new VoucherType(), { id: typeId, campaignId: id }), dto);
        aggregate.voucherTypes.push(type);
        return async (manager) => void (await manager.insert(VoucherType, type));
      },
    );
    return voucherTypeOf(campaign, typeId);
  }

  async replaceVoucherType(
    principal: StaffPrincipal,
    id: string,
    typeId: string,
    dto: VoucherTypeInputDto,
  ): Promise<VoucherTypeDto> {
    const campaign = await this.edit(
      principal,
      id,
      'campaign.voucher_type.update',
      { kind: 'voucherType', id: typeId },
      (aggregate) => {
        const type = applyVoucherType(
          findIn(aggregate.voucherTypes, typeId, ErrorCode.VoucherTypeNotFound, 'voucher type'),
          dto,
        );
        return async (manager) => void (await manager.save(VoucherType, type));
      },
    );
    return voucherTypeOf(campaign, typeId);
  }

  deleteVoucherType(principal: StaffPrincipal, id: string, typeId: string): Promise<CampaignDto> {
    return this.edit(principal, id, 'campaign.voucher_type.delete', NO_BODY, (aggregate) => {
      findIn(aggregate.voucherTypes, typeId, ErrorCode.VoucherTypeNotFound, 'voucher type');
      const usedBy = aggregate.items.find((item) => item.voucherTypeId === typeId);
      if (usedBy) {
        const offer = aggregate.offers.find((o) => o.id === usedBy.offerId);
        throw new DomainError(
          ErrorCode.Conflict,
          `The voucher type is part of offer ${offer?.name}; change that round first`,
          { offerId: usedBy.offerId },
        );
      }
      aggregate.voucherTypes = aggregate.voucherTypes.filter((t) => t.id !== typeId);
      return async (manager) => void (await manager.delete(VoucherType, { id: typeId }));
    });
  }

  async addRound(principal: StaffPrincipal, id: string, dto: RoundInputDto): Promise<RoundDto> {
    const roundId = randomUUID();
    const campaign = await this.edit(
      principal,
      id,
      'campaign.round.create',
      { kind: 'round', id: roundId },
      (aggregate) => {
        const round = applyRound(Object.assign(new Round(), { id: roundId, campaignId: id, paused: false }), dto);
        const { offers, items } = buildOffers(round.id, dto);
        aggregate.rounds.push(round);
        aggregate.offers.push(...offers);
        aggregate.items.push(...items);
        return async (manager) => {
          await manager.insert(Round, round);
          await storeOffers(null, offers, items)(manager);
        };
      },
    );
    return roundOf(campaign, roundId);
  }

  async replaceRound(principal: StaffPrincipal, id: string, roundId: string, dto: RoundInputDto): Promise<RoundDto> {
    const campaign = await this.edit(
      principal,
      id,
      'campaign.round.update',
      { kind: 'round', id: roundId },
      (aggregate) => {
        const round = applyRound(findIn(aggregate.rounds, roundId, ErrorCode.RoundNotFound, 'round'), dto);
        const { offers, items } = buildOffers(round.id, dto);
        this.dropOffersOf(aggregate, roundId);
        aggregate.offers.push(...offers);
        aggregate.items.push(...items);
        return async (manager) => {
          await manager.save(Round, round);
          await storeOffers(roundId, offers, items)(manager);
        };
      },
    );
    return roundOf(campaign, roundId);
  }

  deleteRound(principal: StaffPrincipal, id: string, roundId: string): Promise<CampaignDto> {
    return this.edit(principal, id, 'campaign.round.delete', NO_BODY, (aggregate) => {
      findIn(aggregate.rounds, roundId, ErrorCode.RoundNotFound, 'round');
      this.dropOffersOf(aggregate, roundId);
      aggregate.rounds = aggregate.rounds.filter((r) => r.id !== roundId);
      return async (manager) => {
        await storeOffers(roundId, [], [])(manager);
        await manager.delete(Round, { id: roundId });
      };
    });
  }

  remove(principal: StaffPrincipal, id: string): Promise<void> {
    return this.writer.remove(principal, id);
  }

  private dropOffersOf(aggregate: CampaignAggregate, roundId: string): void {
    const dropped = new Set(aggregate.offers.filter((o) => o.roundId === roundId).map((o) => o.id));
    aggregate.offers = aggregate.offers.filter((o) => !dropped.has(o.id));
    aggregate.items = aggregate.items.filter((i) => !dropped.has(i.offerId));
  }

  /** A change of the configuration: drafts only, and the caller becomes one of its makers. */
  private edit(
    principal: StaffPrincipal,
    id: string,
    audit: string,
    subject: ChangeSubject,
    apply: (aggregate: CampaignAggregate) => Persist,
  ): Promise<CampaignDto> {
    return this.writer.change(principal, id, { action: CampaignAction.Edit, audit, apply, subject });
  }
}
