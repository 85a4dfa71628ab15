import { Injectable } from '@nestjs/common';
import { In } from 'typeorm';
import { StaffPrincipal } from '@quan/auth';
import { Round, RoundOffer } from '@quan/data';
import {
  assertCheckerIsNotMaker,
  assertNotEarlier,
  assertNotLess,
  CampaignAction,
  DomainError,
  ErrorCode,
} from '@quan/domain';
import { CampaignAggregate } from './campaign-aggregate';
import { CampaignWriter, NOTHING_TO_PERSIST, Persist } from './campaign-writer';
import { CampaignDto, ExtendCampaignDto, ExtendRoundDto, OfferStockDto } from './campaigns.dto';

function roundOf(aggregate: CampaignAggregate, roundId: string): Round {
  const round = aggregate.rounds.find((r) => r.id === roundId);
  if (!round) throw new DomainError(ErrorCode.RoundNotFound, `This campaign has no round ${roundId}`);
  return round;
}

const storePaused =
  (rounds: Round[]): Persist =>
  async (manager) => {
    if (rounds.length) await manager.update(Round, { id: In(rounds.map((r) => r.id)) }, { paused: rounds[0].paused });
  };

/**
 * Maker-checker approval and the lifecycle (draft → pending approval → published → running → ended →
 * archived), and the only changes a published campaign accepts: pause/resume, extending a window and
 * adding stock within the budget. Each of these prepares the Redis round counters after its commit.
 */
@Injectable()
export class CampaignLifecycleService {
  constructor(private readonly writer: CampaignWriter) {}

  submit(principal: StaffPrincipal, id: string): Promise<CampaignDto> {
    return this.writer.change(principal, id, {
      action: CampaignAction.Submit,
      audit: 'campaign.submit',
      apply: () => NOTHING_TO_PERSIST,
    });
  }

  /** Approving publishes: the approver must be none of the campaign's makers. */
  approve(principal: StaffPrincipal, id: string): Promise<CampaignDto> {
    return this.writer.change(principal, id, {
      action: CampaignAction.Approve,
      audit: 'campaign.approve',
      apply: ({ campaign }) => {
        assertCheckerIsNotMaker(campaign.makerIds, principal.id);
        Object.assign(campaign, { approvedById: principal.id, approvedAt: new Date(), reviewNote: null });
        return NOTHING_TO_PERSIST;
      },
    });
  }

  /** Sends a pending campaign back to draft with the reason (a maker may use it to withdraw the submission). */
  reject(principal: StaffPrincipal, id: string, reason: string): Promise<CampaignDto> {
    return this.writer.change(principal, id, {
      action: CampaignAction.Reject,
      audit: 'campaign.reject',
      apply: ({ campaign }) => {
        campaign.reviewNote = reason;
        return NOTHING_TO_PERSIST;
      },
    });
  }

  archive(principal: StaffPrincipal, id: string): Promise<CampaignDto> {
    return this.writer.change(principal, id, {
      action: CampaignAction.Archive,
      audit: 'campaign.archive',
      apply: () => NOTHING_TO_PERSIST,
    });
  }

  /** Pauses or resumes every round (the claim path reads rounds.paused). Repeating it changes nothing. */
  setCampaignPaused(principal: StaffPrincipal, id: string, paused: boolean): Promise<CampaignDto> {
    return this.safeChange(principal, id, paused ? 'campaign.pause' : 'campaign.resume', (aggregate) => {
      aggregate.rounds.forEach((round) => (round.paused = paused));
      return storePaused(aggregate.rounds);
    });
  }

  setRoundPaused(principal: StaffPrincipal, id: string, roundId: string, paused: boolean): Promise<CampaignDto> {
    return this.safeChange(principal, id, paused ? 'campaign.round.pause' : 'campaign.round.resume', (aggregate) => {
      const round = roundOf(aggregate, roundId);
      round.paused = paused;
      return storePaused([round]);
    });
  }

  extend(principal: StaffPrincipal, id: string, dto: ExtendCampaignDto): Promise<CampaignDto> {
    return this.safeChange(principal, id, 'campaign.extend', ({ campaign }) => {
      const endsAt = new Date(dto.endsAt);
      assertNotEarlier('endsAt', campaign.endsAt, endsAt);
      campaign.endsAt = endsAt;
      return NOTHING_TO_PERSIST;
    });
  }

  extendRound(principal: StaffPrincipal, id: string, roundId: string, dto: ExtendRoundDto): Promise<CampaignDto> {
    return this.safeChange(principal, id, 'campaign.round.extend', (aggregate) => {
      const round = roundOf(aggregate, roundId);
      const closesAt = new Date(dto.closesAt);
      assertNotEarlier('closesAt', round.closesAt, closesAt);
      round.closesAt = closesAt;
      if (dto.drawAt !== undefined) {
        const drawAt = new Date(dto.drawAt);
        if (round.drawAt === null)
          throw new DomainError(ErrorCode.LotteryDrawInvalid, 'Only lottery rounds have a draw', { field: 'drawAt' });
        assertNotEarlier('drawAt', round.drawAt, drawAt);
        round.drawAt = drawAt;
      }
      return async (manager) =>
        void (await manager.update(Round, round.id, { closesAt: round.closesAt, drawAt: round.drawAt }));
    });
  }

  /** Sets an offer's stock to a higher (or the same) number; the worst-case subsidy must stay within budget. */
  setOfferStock(
    principal: StaffPrincipal,
    id: string,
    roundId: string,
    offerId: string,
    dto: OfferStockDto,
  ): Promise<CampaignDto> {
    return this.safeChange(principal, id, 'campaign.offer.stock', (aggregate) => {
      roundOf(aggregate, roundId);
      const offer = aggregate.offers.find((o) => o.id === offerId && o.roundId === roundId);
      if (!offer) throw new DomainError(ErrorCode.OfferNotFound, `Round ${roundId} has no offer ${offerId}`);
      assertNotLess('stock', offer.stock, dto.stock);
      offer.stock = dto.stock;
      return async (manager) => void (await manager.update(RoundOffer, offer.id, { stock: offer.stock }));
    });
  }

  /** Prepares the Redis round counters again (after a Redis outage during a change); changes nothing in Postgres. */
  prepareCounters(principal: StaffPrincipal, id: string): Promise<CampaignDto> {
    return this.safeChange(principal, id, 'campaign.counters.prepare', () => NOTHING_TO_PERSIST);
  }

  private safeChange(
    principal: StaffPrincipal,
    id: string,
    audit: string,
    apply: (aggregate: CampaignAggregate) => Persist,
  ): Promise<CampaignDto> {
    return this.writer.change(principal, id, { action: CampaignAction.SafeChange, audit, apply });
  }
}
