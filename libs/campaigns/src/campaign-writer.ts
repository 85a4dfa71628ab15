import { Injectable, Logger } from '@nestjs/common';
import { DataSource, EntityManager, FindOptionsWhere, In, IsNull } from 'typeorm';
import { campaignScopesOf, StaffPrincipal } from '@quan/auth';
import { CampaignCounters } from '@quan/counters';
import {
  Campaign,
  Category,
  County,
  isUniqueViolation,
  Merchant,
  Round,
  RoundOffer,
  StaffRole,
  VoucherType,
} from '@quan/data';
import {
  assertPlanComplete,
  CampaignAction,
  CampaignPlan,
  CampaignStatus,
  campaignTransition,
  DomainError,
  ErrorCode,
  KnownReferences,
  LIVE_CAMPAIGN_STATUSES,
  validateCampaignPlan,
} from '@quan/domain';
import { recordAudit, SYSTEM_ACTOR } from '@quan/platform';
import { ChangeSubject, pointIntoBody } from './body-pointers';
import { CampaignAggregate, loadAggregate, toDto, toPlan } from './campaign-aggregate';
import { CampaignDto } from './campaigns.dto';

/** The database writes that store an in-memory change of the aggregate (the campaign row is written for every change). */
export type Persist = (manager: EntityManager) => Promise<void>;
export const NOTHING_TO_PERSIST: Persist = async () => undefined;

export interface CampaignChange {
  /** The lifecycle action: decides from which statuses the change is allowed and the status after it. */
  action: CampaignAction;
  /** The audit log's action name, e.g. campaign.round.create. */
  audit: string;
  /** Changes the aggregate in memory (throwing DomainErrors for refused changes) and says how to store it. */
  apply(aggregate: CampaignAggregate, manager: EntityManager): Persist | Promise<Persist>;
  /** What the request's body describes, so that broken rules name its fields; absent: pointers into the whole campaign. */
  subject?: ChangeSubject;
}

/** The campaign-level columns a change may write (the rest never change after creation). */
const MUTABLE_COLUMNS = [
  'name',
  'scopeCountyCode',
  'budgetFen',
  'issueBeyondBudget',
  'startsAt',
  'endsAt',
  'perPersonLimit',
  'perPersonRoundLimit',
  'perPersonDailyLimit',
  'perPersonCategoryLimits',
  'merchantDailyRedemptionLimit',
  'merchantDailySubsidyCapFen',
  'eligibleCategoryCodes',
  'eligibleCountyCodes',
  'merchantAllowIds',
  'merchantDenyIds',
  'aboveQuotaOnly',
  'status',
  'makerIds',
  'approvedById',
  'approvedAt',
  'reviewNote',
] as const satisfies readonly (keyof Campaign)[];

/** Actions whose actor becomes a maker of the configuration (and so may not approve it). */
const MAKING = new Set([CampaignAction.Edit, CampaignAction.Submit]);
/** Actions after which the whole plan is checked again. */
const VALIDATED = new Set([
  CampaignAction.Edit,
  CampaignAction.Submit,
  CampaignAction.Approve,
  CampaignAction.SafeChange,
]);

const notFound = (id: string) => new DomainError(ErrorCode.CampaignNotFound, `No campaign ${id}`);

/**
 * Campaign scope (docs/product.md invariant 7): a county admin sees their county's campaigns and, read-only,
 * the city-wide ones; other bureau roles see all. Returns the alternatives of a WHERE clause.
 */
export function visibleCampaigns(
  principal: StaffPrincipal,
  where: FindOptionsWhere<Campaign> = {},
  requestedScope?: string | null,
): FindOptionsWhere<Campaign>[] {
  const visible = campaignScopesOf(principal);
  const scopes =
    visible === 'all'
      ? requestedScope === undefined
        ? 'all'
        : [requestedScope]
      : visible.filter((s) => requestedScope === undefined || s === requestedScope);
  if (scopes === 'all') return [where];
  return scopes.map((scope) => ({ ...where, scopeCountyCode: scope === null ? IsNull() : scope }));
}

/** A county admin changes only campaigns of their own county; a visible city-wide campaign is 403 OUT_OF_SCOPE. */
export function assertMayChange(principal: StaffPrincipal, scopeCountyCode: string | null): void {
  if (principal.role === StaffRole.CountyAdmin && scopeCountyCode !== principal.countyCode) {
    throw new DomainError(
      ErrorCode.OutOfScope,
      scopeCountyCode === null
        ? 'City-wide campaigns are changed by city admins'
        : `You operate ${principal.countyCode}, not ${scopeCountyCode}`,
    );
  }
}

/**
 * The one way campaigns change: lock the row, check scope and lifecycle, apply the change in memory,
 * check every rule on the resulting plan, store it with its audit entry in one transaction, and after
 * the commit bring the Redis round counters of a live campaign in line (CampaignCounters.prepare).
 */
@Injectable()
export class CampaignWriter {
  private readonly logger = new Logger(CampaignWriter.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly counters: CampaignCounters,
  ) {}

  /** Loads a campaign the caller can see (locked for update when writing), or 404. */
  async find(manager: EntityManager, principal: StaffPrincipal | null, id: string, lock: boolean): Promise<Campaign> {
    const where = principal ? visibleCampaigns(principal, { id }) : [{ id }];
    const campaign = await manager.findOne(Campaign, {
      where,
      ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}),
    });
    if (!campaign) throw notFound(id);
    return campaign;
  }

  /** What the plan may refer to: every category and county, and the named merchants the caller can see. */
  async knownReferences(
    manager: EntityManager,
    principal: StaffPrincipal | null,
    plan: CampaignPlan,
  ): Promise<KnownReferences> {
    const merchantIds = [...new Set([...plan.eligibility.allowMerchantIds, ...plan.eligibility.denyMerchantIds])];
    const where: FindOptionsWhere<Merchant> = { id: In(merchantIds) };
    if (principal?.role === StaffRole.CountyAdmin) where.countyCode = principal.countyCode ?? '';
    const merchants = merchantIds.length
      ? await manager.find(Merchant, { where, select: { id: true, countyCode: true } })
      : [];
    return {
      categoryCodes: new Set((await manager.find(Category, { select: { code: true } })).map((c) => c.code)),
      countyCodes: new Set((await manager.find(County, { select: { code: true } })).map((c) => c.code)),
      merchantCounties: new Map(merchants.map((m) => [m.id, m.countyCode])),
    };
  }

  /** Checks every rule of a plan (400 codes), and completeness when it is submitted (409). */
  async validate(
    manager: EntityManager,
    principal: StaffPrincipal | null,
    aggregate: CampaignAggregate,
    action: CampaignAction,
  ): Promise<void> {
    const plan = toPlan(aggregate);
    validateCampaignPlan(plan, await this.knownReferences(manager, principal, plan));
    if (action === CampaignAction.Submit) assertPlanComplete(plan);
  }

  /** Applies a change for a staff member, or for the system (null) such as the campaign clock. */
  async change(principal: StaffPrincipal | null, id: string, change: CampaignChange): Promise<CampaignDto> {
    const after = await this.dataSource.transaction(async (manager) => {
      const campaign = await this.find(manager, principal, id, true);
      if (principal) assertMayChange(principal, campaign.scopeCountyCode);
      const aggregate = await loadAggregate(manager, campaign);
      const before = toDto(aggregate);
      const status = campaignTransition(campaign.status, change.action);
      const persist = await change.apply(aggregate, manager);
      campaign.status = status;
      if (principal && MAKING.has(change.action) && !campaign.makerIds.includes(principal.id))
        campaign.makerIds = [...campaign.makerIds, principal.id];
      if (VALIDATED.has(change.action)) {
        await this.validate(manager, principal, aggregate, change.action).catch((error: unknown) => {
          throw change.subject ? pointIntoBody(error, aggregate, change.subject) : error;
        });
      }
      await persist(manager);
      await this.writeCampaignRow(manager, campaign);
      const stored = toDto(await loadAggregate(manager, await manager.findOneByOrFail(Campaign, { id })));
      await recordAudit(manager, principal ?? SYSTEM_ACTOR, {
        action: change.audit,
        entityType: 'campaign',
        entityId: id,
        before,
        after: stored,
      });
      return stored;
    });
    if (LIVE_CAMPAIGN_STATUSES.has(after.status) || change.action === CampaignAction.End)
      await this.prepareCounters(id);
    return after;
  }

  /** Inserts a new draft after checking its plan, with its audit entry. */
  async create(principal: StaffPrincipal, campaign: Campaign): Promise<CampaignDto> {
    return this.dataSource.transaction(async (manager) => {
      assertMayChange(principal, campaign.scopeCountyCode);
      const codeTaken = () =>
        new DomainError(ErrorCode.AlreadyExists, `A campaign with code ${campaign.code} exists`, { field: 'code' });
      if (await manager.existsBy(Campaign, { code: campaign.code })) throw codeTaken();
      const aggregate: CampaignAggregate = { campaign, voucherTypes: [], rounds: [], offers: [], items: [] };
      await this.validate(manager, principal, aggregate, CampaignAction.Edit);
      const saved = await manager.save(campaign).catch((error: unknown) => {
        throw isUniqueViolation(error) ? codeTaken() : error;
      });
      const created = toDto({ ...aggregate, campaign: await manager.findOneByOrFail(Campaign, { id: saved.id }) });
      await recordAudit(manager, principal, {
        action: 'campaign.create',
        entityType: 'campaign',
        entityId: saved.id,
        before: null,
        after: created,
      });
      return created;
    });
  }

  /**
   * Deletes a draft that was never submitted, parts and all, so its code is free again; the audit entry
   * keeps the whole campaign. A draft is back from review only through a rejection, which always leaves
   * its reason in reviewNote: such a draft stays, as the record of what its checker saw.
   */
  async remove(principal: StaffPrincipal, id: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const campaign = await this.find(manager, principal, id, true);
      assertMayChange(principal, campaign.scopeCountyCode);
      if (campaign.status !== CampaignStatus.Draft || campaign.reviewNote !== null) {
        const why =
          campaign.status === CampaignStatus.Draft
            ? 'it was submitted for approval once'
            : `it is ${campaign.status}, not a draft`;
        throw new DomainError(ErrorCode.CampaignNotDeletable, `Only a draft never submitted can be deleted: ${why}`);
      }
      const aggregate = await loadAggregate(manager, campaign);
      if (aggregate.rounds.length > 0) {
        // Rounds may name each other as roll-forward targets; the offers' items go with the offers.
        await manager.update(Round, { campaignId: id }, { rollForwardToId: null });
        await manager.delete(RoundOffer, { roundId: In(aggregate.rounds.map((round) => round.id)) });
        await manager.delete(Round, { campaignId: id });
      }
      await manager.delete(VoucherType, { campaignId: id });
      await manager.delete(Campaign, { id });
      await recordAudit(manager, principal, {
        action: 'campaign.delete',
        entityType: 'campaign',
        entityId: id,
        before: toDto(aggregate),
        after: null,
      });
    });
  }

  /**
   * Prepares the round counters in Redis (idempotent). Runs after the commit: should Redis fail, the
   * change stays saved and the client is told to retry (503); POST /campaigns/{id}/counters repeats it.
   */
  async prepareCounters(id: string): Promise<void> {
    try {
      await this.counters.prepare(id);
    } catch (error) {
      this.logger.warn(
        { campaignId: id, err: error instanceof Error ? error.message : String(error) },
        'round counters not prepared',
      );
      throw new DomainError(
        ErrorCode.Unavailable,
        'The change is saved, but the round counters could not be prepared in Redis; retry the safe change or POST /campaigns/{id}/counters',
      );
    }
  }

  private async writeCampaignRow(manager: EntityManager, campaign: Campaign): Promise<void> {
    const values = Object.fromEntries(MUTABLE_COLUMNS.map((column) => [column, campaign[column]]));
    await manager.update(Campaign, campaign.id, values);
  }
}
