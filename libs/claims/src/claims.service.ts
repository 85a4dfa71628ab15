import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ResidentPrincipal } from '@quan/auth';
import { AppConfig } from '@quan/config';
import { CampaignCounters, ClaimCounters, ClaimPlace, commitDecided, CounterRuns } from '@quan/counters';
import { commitOutcomeUnknown, RoundMode, VoucherStatus } from '@quan/data';
import { DomainError, ErrorCode, generateShortCode, timeOrderedUuid, voucherValidity } from '@quan/domain';
import { Metrics } from '@quan/platform';
import { ClaimRefused, ClaimWriter, NewClaim, Refusal } from './claim-writer';
import { ClaimResultDto, ListRoundsQuery, OpenRoundDto } from './claims.dto';
import { OfferInfo, RoundCatalog, RoundInfo } from './round-catalog';
import { WalletQueries } from './wallet-queries';

const LIMIT_MESSAGES: Record<string, string> = {
  campaign: 'You have claimed as many vouchers as this campaign allows',
  round: 'You have claimed as many vouchers as this round allows',
  day: 'You have claimed as many vouchers as this campaign allows today',
  category: 'You have claimed as many vouchers for this category as this campaign allows',
};

const DECISION_ERRORS: Record<string, [ErrorCode, string]> = {
  SOLD_OUT: [ErrorCode.SoldOut, 'This offer is sold out'],
  NO_OFFER: [ErrorCode.OfferNotFound, 'The round has no such offer'],
};

function stillInProgress(): never {
  throw new DomainError(
    ErrorCode.RequestInProgress,
    'The first request with this Idempotency-Key is still being processed',
  );
}

function notRecordedYet(): never {
  throw new DomainError(
    ErrorCode.RequestInProgress,
    'The first request with this Idempotency-Key has not been recorded yet',
  );
}

/** One claim request: who asks for which offer, with which Idempotency-Key, under which Redis run. */
interface ClaimAttempt {
  resident: ResidentPrincipal;
  identityId: string;
  round: RoundInfo;
  offer: OfferInfo;
  key: string | undefined;
  runId: string;
  /** Where the counters count it. */
  place: ClaimPlace;
}

/**
 * Claiming (抢券): Redis decides atomically (ClaimCounters), Postgres makes it durable (ClaimWriter), and
 * only then is the resident answered. Anything decided but not committed is given back, except the
 * person's counts of a claim whose commit answer was lost: it may still commit.
 */
@Injectable()
export class ClaimsService {
  /** A key stays "in progress" for as long as its claim may still commit (ClaimWriter's deadline). */
  private readonly pendingSeconds: number;

  constructor(
    private readonly catalog: RoundCatalog,
    private readonly writer: ClaimWriter,
    private readonly claimCounters: ClaimCounters,
    private readonly counters: CampaignCounters,
    private readonly wallet: WalletQueries,
    private readonly runs: CounterRuns,
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    metrics: Metrics,
  ) {
    // Claim and redemption counters fenced after a Redis restart are lifted by a rebuild; one that lasts means rebuilds fail.
    metrics.gauge(
      'quan_counters_fenced_seconds',
      'Age of the oldest Redis counter fence this process has not lifted yet (0: none)',
      [],
      (gauge) => gauge.set(counters.oldestFenceSeconds()),
    );
    this.pendingSeconds = Math.ceil(config.CLAIM_UNCOMMITTED_AFTER_MS / 1000);
  }

  listRounds(query: ListRoundsQuery): Promise<OpenRoundDto[]> {
    return this.catalog.list(new Set(query.status ?? ['open']));
  }

  async round(roundId: string): Promise<OpenRoundDto> {
    const round = await this.catalog.listedRound(roundId);
    if (!round) throw new DomainError(ErrorCode.RoundNotFound, 'No round open now or opening soon has this id');
    return round;
  }

  async claim(
    resident: ResidentPrincipal,
    roundId: string,
    offerId: string,
    key: string | undefined,
  ): Promise<ClaimResultDto> {
    const identityId = resident.identityId;
    if (!identityId) {
      // The token carries the identity, so the claim path looks nothing up
      // (docs/decisions/2026-12-07-identity-travels-in-the-access-token.md).
      throw new DomainError(
        ErrorCode.IdentityRequired,
        'This access token carries no verified identity: verify your identity (POST /api/v1/me/identity), then use the access token that POST /api/v1/me/identity returned; a token issued before verification never carries it (POST /api/v1/auth/refresh also returns one that does)',
      );
    }
    const round = await this.catalog.get(roundId);
    if (!round) throw new DomainError(ErrorCode.RoundNotFound, `No open or upcoming round ${roundId}`);
    // A lottery round's vouchers go to the winners of its draw (libs/lottery), never first come.
    if (round.mode === RoundMode.Lottery)
      throw new DomainError(
        ErrorCode.RoundIsLottery,
        `Round ${roundId} is a lottery: register with POST /api/v1/rounds/${roundId}/registrations`,
      );
    const offer = round.offers.get(offerId);
    if (!offer) throw new DomainError(ErrorCode.OfferNotFound, `Round ${roundId} has no offer ${offerId}`);
    const runId = await this.runs.of(round.campaignId);

    const place: ClaimPlace = {
      campaignId: round.campaignId,
      roundId,
      offerId,
      identityId,
      residentId: resident.id,
      idempotencyKey: key,
      limitedCategories: offer.limitedCategories,
    };
    const attempt: ClaimAttempt = { resident, identityId, round, offer, key, runId, place };
    let decidedAt = new Date();
    const decide = () => {
      decidedAt = new Date();
      return this.claimCounters.decide({
        ...place,
        runId: attempt.runId,
        decidedAt,
        pendingSeconds: this.pendingSeconds,
      });
    };

    let decision = await decide();
    if (decision.status === 'FENCED') {
      // The run of the server holding the campaign now (a restart or a failover since): rebuild under it.
      attempt.runId = decision.runId;
      this.runs.saw(round.campaignId, decision.runId);
      await this.counters.rebuild({ campaignId: round.campaignId, runId: decision.runId });
      decision = await decide();
    }
    // Counts of claims decided long ago that never reached Postgres are given back, then decided again.
    if (
      decision.status === 'LIMIT_REACHED' &&
      (await this.counters.settlePerson({
        campaignId: round.campaignId,
        identityId,
        decidedBefore: Date.now() - this.config.CLAIM_UNCOMMITTED_AFTER_MS,
      }))
    ) {
      decision = await decide();
    }
    switch (decision.status) {
      case 'OK':
        return this.commit(attempt, decision.personSeq, decidedAt);
      case 'DUPLICATE':
      case 'IN_PROGRESS': {
        if (!decision.sameRequest) {
          throw new DomainError(ErrorCode.IdempotencyKeyReused, 'This Idempotency-Key was used for another claim');
        }
        if (decision.status === 'DUPLICATE') {
          return (await this.wallet.findClaim(resident.id, { id: decision.claimId! })) ?? notRecordedYet();
        }
        // Pending, yet its claim may have committed: the write of its id was lost, or Redis restarted from
        // a file written before it. Postgres holds the answer, if there is one yet.
        return (await this.answeredBefore(attempt)) ?? stillInProgress();
      }
      case 'LIMIT_REACHED':
        return this.firstResultOrLimit(attempt, decision.scope);
      case 'FENCED':
        throw new DomainError(
          ErrorCode.Unavailable,
          'The round is being rebuilt after a counter restart; retry shortly',
        );
    }
    // A refusal. The key may have been answered with a claim in this round whose record Redis lost (a
    // restart, an expiry): asked of Postgres only then, so a sell-out's refusals cost no query.
    const earlier = decision.claimedInRound ? await this.answeredBefore(attempt) : undefined;
    if (earlier) return earlier;
    switch (decision.status) {
      // The round's times come from the catalog in memory: telling when costs no query on the hot path.
      case 'ROUND_NOT_OPEN': {
        const opensAt = round.opensAt.toISOString();
        throw new DomainError(
          ErrorCode.RoundNotOpen,
          round.opensAt > decidedAt ? `The round opens at ${opensAt}` : 'The round is paused',
          { opensAt },
        );
      }
      case 'ROUND_CLOSED': {
        const closesAt = round.closesAt.toISOString();
        throw new DomainError(ErrorCode.RoundClosed, `The round closed at ${closesAt}`, { closesAt });
      }
      default: {
        const [code, message] = DECISION_ERRORS[decision.status] ?? [
          ErrorCode.Internal,
          `unexpected claim decision ${decision.status}`,
        ];
        throw new DomainError(code, message);
      }
    }
  }

  private async commit(attempt: ClaimAttempt, personSeq: number, claimedAt: Date): Promise<ClaimResultDto> {
    const { resident, round, offer, key } = attempt;
    const issued = offer.items.flatMap((item) =>
      Array.from({ length: item.quantity }, () => ({
        item,
        voucher: {
          id: timeOrderedUuid(),
          voucherTypeId: item.voucherTypeId,
          shortCode: generateShortCode(),
          ...voucherValidity(item.validity, claimedAt),
        },
      })),
    );
    const claim: NewClaim = {
      id: timeOrderedUuid(),
      campaignId: round.campaignId,
      roundId: round.id,
      offerId: offer.id,
      residentId: resident.id,
      identityId: attempt.identityId,
      personSeq,
      idempotencyKey: key ?? null,
      claimedAt,
      vouchers: issued.map(({ voucher }) => voucher),
    };
    const at = claimedAt.toISOString();
    const answer: ClaimResultDto = {
      claimId: claim.id,
      roundId: round.id,
      offerId: offer.id,
      claimedAt: at,
      vouchers: issued.map(({ item, voucher }) => ({
        id: voucher.id,
        campaignId: round.campaignId,
        campaignName: round.campaignName,
        voucherTypeId: voucher.voucherTypeId,
        name: item.name,
        ...item.rules,
        shortCode: voucher.shortCode,
        status: VoucherStatus.Claimed,
        validFrom: voucher.validFrom.toISOString(),
        validUntil: voucher.validUntil.toISOString(),
        claimedAt: at,
      })),
    };
    // A statement whose answer was lost may have committed, or may still: the claim is answered if
    // Postgres has it. If not, only its stock is given back (the person's counts stay, too high being
    // the safe side for limits Postgres does not back, until settlePerson finds the decision too old).
    const result = await commitDecided({
      commit: () => this.writer.write(claim),
      mayHaveCommitted: commitOutcomeUnknown,
      isCommitted: () => this.isCommitted(claim.id),
    });
    if (result.outcome !== 'committed') {
      const { error } = result;
      const reason = result.outcome !== 'failed' ? 'unknown' : error instanceof ClaimRefused ? error.reason : 'failed';
      return this.giveBack(attempt, { error, reason, decidedAt: claimedAt });
    }
    if (key) this.claimCounters.recordAnswer({ ...attempt.place, idempotencyKey: key, claimId: claim.id });
    return answer;
  }

  /** A claim Postgres refused or does not have: its decision is given back in Redis (by `reason`), the resident told why. */
  private async giveBack(
    attempt: ClaimAttempt,
    failure: { error: unknown; reason: Refusal | 'failed' | 'unknown'; decidedAt: Date },
  ): Promise<ClaimResultDto> {
    const { error, reason, decidedAt } = failure;
    await this.claimCounters
      .giveBack({
        ...attempt.place,
        runId: attempt.runId,
        decidedAt,
        reason: reason === 'duplicate_key' ? 'failed' : reason,
      })
      .catch(() => undefined);
    if (reason === 'limit') return this.firstResultOrLimit(attempt);
    // Refused because Redis had lost the key's record (a restart): Postgres has the key's first answer.
    // A key used in another campaign is refused there too (claimWithKey).
    const keyLost = reason === 'duplicate_key' || reason === 'sold_out';
    const earlier = keyLost ? await this.answeredBefore(attempt) : undefined;
    if (earlier) return earlier;
    if (reason === 'sold_out') throw new DomainError(ErrorCode.SoldOut, 'This offer is sold out');
    if (reason === 'duplicate_key') notRecordedYet();
    throw error;
  }

  private async isCommitted(claimId: string): Promise<boolean> {
    return ((await this.dataSource.query(`SELECT 1 FROM claims WHERE id = $1`, [claimId])) as unknown[]).length > 0;
  }

  /**
   * The claim this attempt's key was answered with, as Postgres has it (none without a key); Redis is told
   * again, so the next replay asks Redis only.
   */
  private async answeredBefore(attempt: ClaimAttempt): Promise<ClaimResultDto | undefined> {
    const { key } = attempt;
    if (!key) return undefined;
    const claim = await this.claimWithKey(attempt, key);
    if (claim) this.claimCounters.recordAnswer({ ...attempt.place, idempotencyKey: key, claimId: claim.claimId });
    return claim;
  }

  /**
   * At a limit: a retry gets its first result back instead of an error. That is the claim its
   * Idempotency-Key was answered with (whose record in Redis may be gone), else the resident's first claim
   * of this offer in this round (a retry after a timeout); with neither, LIMIT_REACHED. A key answered
   * with that first claim is recorded in Postgres (claim_keys) before the answer: its replays get the
   * same claim once the offer is sold out, the round closed or Redis restarted.
   */
  private async firstResultOrLimit(attempt: ClaimAttempt, scope = 'campaign'): Promise<ClaimResultDto> {
    const { resident, round, offer, key } = attempt;
    const withKey = await this.answeredBefore(attempt);
    if (withKey) return withKey;
    const [existing] = (await this.dataSource.query(
      `SELECT id FROM claims WHERE resident_id = $1 AND round_id = $2 AND offer_id = $3 ORDER BY claimed_at, id LIMIT 1`,
      [resident.id, round.id, offer.id],
    )) as { id: string }[];
    const first = existing && (await this.wallet.findClaim(resident.id, { id: existing.id }));
    if (!first)
      throw new DomainError(ErrorCode.LimitReached, LIMIT_MESSAGES[scope] ?? LIMIT_MESSAGES.campaign, { limit: scope });
    if (key) {
      // A concurrent request with the same key records the same first claim: the conflict changes nothing.
      await this.dataSource.query(
        `INSERT INTO claim_keys (resident_id, idempotency_key, claim_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
        [resident.id, key, first.claimId],
      );
      this.claimCounters.recordAnswer({ ...attempt.place, idempotencyKey: key, claimId: first.claimId });
    }
    return first;
  }

  /**
   * The resident's claim made or answered with this Idempotency-Key (claims, then claim_keys), if Postgres
   * has one; a key used for another round or offer is refused.
   */
  private async claimWithKey(attempt: ClaimAttempt, key: string): Promise<ClaimResultDto | undefined> {
    const claim = await this.wallet.findClaim(attempt.resident.id, { idempotencyKey: key });
    if (claim && (claim.roundId !== attempt.round.id || claim.offerId !== attempt.offer.id)) {
      throw new DomainError(ErrorCode.IdempotencyKeyReused, 'This Idempotency-Key was used for another claim');
    }
    return claim;
  }
}
