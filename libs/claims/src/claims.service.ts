import { Inject, Injectable } from '@nestjs/common';
import Redis from 'ioredis';
import { DataSource } from 'typeorm';
import { ResidentPrincipal } from '@quan/auth';
import { AppConfig } from '@quan/config';
import { CampaignCounters, commitOutcomeUnknown, idempotencyKey, personKey, REDIS, RedisRun, roundKey, VoucherStatus } from '@quan/data';
import { Metrics } from '@quan/platform';
import { businessDay, DomainError, ErrorCode, Fen, generateShortCode, timeOrderedUuid, voucherValidity } from '@quan/domain';
import { ClaimRefused, ClaimWriter, NewClaim, Refusal } from './claim-writer';
import { ClaimScripts, defineClaimScripts } from './claim-scripts';
import {
  ClaimResultDto, ListRoundsQuery, ListVouchersQuery, OpenRoundDto, VoucherDetailDto, VoucherDto, VoucherEventDto, VoucherEventKind,
} from './claims.dto';
import { OfferInfo, RoundCatalog, RoundInfo } from './round-catalog';
import { RULE_COLUMNS, RuleRow, ruleOf } from './voucher-rules';

interface VoucherRow extends RuleRow {
  id: string;
  claim_id: string;
  campaign_id: string;
  campaign_name: string;
  voucher_type_id: string;
  name: string;
  short_code: string;
  status: VoucherStatus;
  valid_from: Date;
  valid_until: Date;
  claimed_at: Date;
}

interface RedemptionRow {
  id: string;
  merchant_name: string;
  order_amount_fen: string;
  discount_fen: string;
  redeemed_at: Date;
  reversed_at: Date | null;
}

/** A claimed voucher past its validity is expired to the resident (and to the till) before the expiry job marks it. */
const SHOWN_STATUS = `CASE WHEN v.status = 'claimed' AND v.valid_until <= now() THEN 'expired'::voucher_status ELSE v.status END`;

const VOUCHERS = `SELECT v.id, v.claim_id, v.campaign_id, c.name AS campaign_name, v.voucher_type_id, t.name, ${RULE_COLUMNS},
         v.short_code, ${SHOWN_STATUS} AS status, v.valid_from, v.valid_until, v.claimed_at
    FROM vouchers v JOIN voucher_types t ON t.id = v.voucher_type_id JOIN campaigns c ON c.id = v.campaign_id`;

function voucherDto(row: VoucherRow): VoucherDto {
  return {
    id: row.id, campaignId: row.campaign_id, campaignName: row.campaign_name, voucherTypeId: row.voucher_type_id, name: row.name,
    ...ruleOf(row), shortCode: row.short_code, status: row.status,
    validFrom: row.valid_from.toISOString(), validUntil: row.valid_until.toISOString(), claimedAt: row.claimed_at.toISOString(),
  };
}

/** Claimed, each redemption and its reversal, or expired: oldest first. */
function historyOf(voucher: VoucherDto, redemptions: RedemptionRow[]): VoucherEventDto[] {
  const event = (kind: VoucherEventKind, at: string, redemption?: RedemptionRow): VoucherEventDto => ({
    kind, at, redemptionId: redemption?.id ?? null, merchantName: redemption?.merchant_name ?? null,
    orderAmountFen: redemption ? (Number(redemption.order_amount_fen) as Fen) : null,
    discountFen: redemption ? (Number(redemption.discount_fen) as Fen) : null,
  });
  const events = [event(VoucherEventKind.Claimed, voucher.claimedAt)];
  for (const redemption of redemptions) {
    events.push(event(VoucherEventKind.Redeemed, redemption.redeemed_at.toISOString(), redemption));
    if (redemption.reversed_at) events.push(event(VoucherEventKind.Reversed, redemption.reversed_at.toISOString(), redemption));
  }
  if (voucher.status === VoucherStatus.Expired) events.push(event(VoucherEventKind.Expired, voucher.validUntil));
  return events;
}

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

const BY_ID = 'id = $2';
/** A key's own claim, else the claim it was answered with at a limit (claim_keys): one index lookup each. */
const BY_KEY = `id = COALESCE((SELECT id FROM claims WHERE resident_id = $1 AND idempotency_key = $2),
                              (SELECT claim_id FROM claim_keys WHERE resident_id = $1 AND idempotency_key = $2))`;

function stillInProgress(): never {
  throw new DomainError(ErrorCode.RequestInProgress, 'The first request with this Idempotency-Key is still being processed');
}

function notRecordedYet(): never {
  throw new DomainError(ErrorCode.RequestInProgress, 'The first request with this Idempotency-Key has not been recorded yet');
}

/**
 * Claiming (抢券): Redis decides atomically (claim.lua), Postgres makes it durable (ClaimWriter), and
 * only then is the resident answered. Anything decided but not committed is given back (unclaim.lua),
 * except the person's counts of a claim whose commit answer was lost: it may still commit.
 */
@Injectable()
export class ClaimsService {
  private readonly scripts: ClaimScripts;
  /** A key stays "in progress" for as long as its claim may still commit (ClaimWriter's deadline). */
  private readonly pendingSeconds: number;

  constructor(
    private readonly catalog: RoundCatalog,
    private readonly writer: ClaimWriter,
    private readonly counters: CampaignCounters,
    private readonly run: RedisRun,
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    @Inject(REDIS) private readonly redis: Redis,
    metrics: Metrics,
  ) {
    this.scripts = defineClaimScripts(redis);
    // Claim and redemption counters fenced after a Redis restart are lifted by a rebuild; one that lasts means rebuilds fail.
    metrics.gauge('quan_counters_fenced_seconds', 'Age of the oldest Redis counter fence this process has not lifted yet (0: none)', [], (gauge) => gauge.set(counters.oldestFenceSeconds()));
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

  async claim(resident: ResidentPrincipal, roundId: string, offerId: string, key: string | undefined): Promise<ClaimResultDto> {
    if (!resident.identityId) {
      // The token carries the identity, so the claim path looks nothing up (docs/decisions.md).
      throw new DomainError(
        ErrorCode.IdentityRequired,
        'This access token carries no verified identity: verify your identity (POST /api/v1/me/identity), then use the access token that POST /api/v1/me/identity returned; a token issued before verification never carries it (POST /api/v1/auth/refresh also returns one that does)',
      );
    }
    const round = await this.catalog.get(roundId);
    if (!round) throw new DomainError(ErrorCode.RoundNotFound, `No open or upcoming round ${roundId}`);
    const offer = round.offers.get(offerId);
    if (!offer) throw new DomainError(ErrorCode.OfferNotFound, `Round ${roundId} has no offer ${offerId}`);
    const runId = this.run.current();
    if (!runId) throw new DomainError(ErrorCode.Unavailable, 'Claims are paused while the counters reconnect; retry shortly');

    const prefix = this.config.REDIS_KEY_PREFIX;
    const keys = [
      roundKey(prefix, round.campaignId, roundId),
      personKey(prefix, round.campaignId, resident.identityId),
      idempotencyKey(prefix, round.campaignId, resident.id, key ?? '-'),
    ] as const;
    const fingerprint = `${roundId}/${offerId}`;
    let decidedAt = new Date();
    const decide = () => {
      decidedAt = new Date();
      return this.scripts.claim(...keys, decidedAt.getTime(), offerId, roundId, runId, key ? this.pendingSeconds : 0, fingerprint, businessDay(decidedAt), ...offer.limitedCategories);
    };

    let [status, value, claimedHere] = await decide();
    if (status === 'FENCED') {
      await this.counters.rebuild(round.campaignId, runId);
      [status, value, claimedHere] = await decide();
    }
    // Counts of claims decided long ago that never reached Postgres are given back, then decided again.
    if (status === 'LIMIT_REACHED' && (await this.counters.settlePerson(round.campaignId, resident.identityId, Date.now() - this.config.CLAIM_UNCOMMITTED_AFTER_MS))) {
      [status, value, claimedHere] = await decide();
    }
    switch (status) {
      case 'OK':
        return this.commit(resident, round, offer, Number(value), key, runId, keys, decidedAt);
      case 'DUPLICATE':
      case 'IN_PROGRESS': {
        const [storedFingerprint, claimId] = value.split('|');
        if (storedFingerprint !== fingerprint) {
          throw new DomainError(ErrorCode.IdempotencyKeyReused, 'This Idempotency-Key was used for another claim');
        }
        if (status === 'DUPLICATE') return (await this.findClaim(resident.id, { id: claimId })) ?? notRecordedYet();
        // Pending, yet its claim may have committed: the write of its id was lost, or Redis restarted from
        // a file written before it. Postgres holds the answer, if there is one yet.
        return (await this.answeredBefore(resident.id, key!, keys[2], roundId, offerId)) ?? stillInProgress();
      }
      case 'LIMIT_REACHED':
        return this.firstResultOrLimit(resident.id, roundId, offerId, key, keys[2], value);
      case 'FENCED':
        throw new DomainError(ErrorCode.Unavailable, 'The round is being rebuilt after a counter restart; retry shortly');
    }
    // A refusal. The key may have been answered with a claim in this round whose record Redis lost (a
    // restart, an expiry): asked of Postgres only then, so a sell-out's refusals cost no query.
    const earlier = claimedHere === '1' ? await this.answeredBefore(resident.id, key!, keys[2], roundId, offerId) : undefined;
    if (earlier) return earlier;
    switch (status) {
      // The round's times come from the catalog in memory: telling when costs no query on the hot path.
      case 'ROUND_NOT_OPEN': {
        const opensAt = round.opensAt.toISOString();
        throw new DomainError(ErrorCode.RoundNotOpen, round.opensAt > decidedAt ? `The round opens at ${opensAt}` : 'The round is paused', { opensAt });
      }
      case 'ROUND_CLOSED': {
        const closesAt = round.closesAt.toISOString();
        throw new DomainError(ErrorCode.RoundClosed, `The round closed at ${closesAt}`, { closesAt });
      }
      default: {
        const [code, message] = DECISION_ERRORS[status] ?? [ErrorCode.Internal, `unexpected claim decision ${status}`];
        throw new DomainError(code, message);
      }
    }
  }

  private async commit(
    resident: ResidentPrincipal,
    round: RoundInfo,
    offer: OfferInfo,
    personSeq: number,
    key: string | undefined,
    runId: string,
    keys: readonly [string, string, string],
    claimedAt: Date,
  ): Promise<ClaimResultDto> {
    const issued = offer.items.flatMap((item) =>
      Array.from({ length: item.quantity }, () => ({
        item,
        voucher: { id: timeOrderedUuid(), voucherTypeId: item.voucherTypeId, shortCode: generateShortCode(), ...voucherValidity(item.validity, claimedAt) },
      })),
    );
    const claim: NewClaim = {
      id: timeOrderedUuid(), campaignId: round.campaignId, roundId: round.id, offerId: offer.id, residentId: resident.id,
      identityId: resident.identityId!, personSeq, idempotencyKey: key ?? null, claimedAt, vouchers: issued.map(({ voucher }) => voucher),
    };
    const at = claimedAt.toISOString();
    const answer: ClaimResultDto = {
      claimId: claim.id, roundId: round.id, offerId: offer.id, claimedAt: at,
      vouchers: issued.map(({ item, voucher }) => ({
        id: voucher.id, campaignId: round.campaignId, campaignName: round.campaignName, voucherTypeId: voucher.voucherTypeId, name: item.name,
        ...item.rules, shortCode: voucher.shortCode, status: VoucherStatus.Claimed,
        validFrom: voucher.validFrom.toISOString(), validUntil: voucher.validUntil.toISOString(), claimedAt: at,
      })),
    };
    try {
      await this.writer.write(claim);
    } catch (error) {
      // A statement whose answer was lost may have committed, or may still: the claim is answered if
      // Postgres has it. If not, only its stock is given back (the person's counts stay, too high being
      // the safe side for limits Postgres does not back, until settlePerson finds the decision too old).
      const unknown = commitOutcomeUnknown(error);
      if (!unknown || !(await this.isCommitted(claim.id).catch(() => false))) {
        const reason = unknown ? 'unknown' : error instanceof ClaimRefused ? error.reason : 'failed';
        return this.giveBack(error, reason, resident, round, offer, key, runId, keys, claimedAt);
      }
    }
    if (key) this.rememberKey(keys[2], round.id, offer.id, claim.id);
    return answer;
  }

  /** A claim Postgres refused or does not have: its decision is given back in Redis (unclaim.lua, by `reason`), and the resident told why. */
  private async giveBack(
    error: unknown,
    reason: Refusal | 'failed' | 'unknown',
    resident: ResidentPrincipal,
    round: RoundInfo,
    offer: OfferInfo,
    key: string | undefined,
    runId: string,
    keys: readonly [string, string, string],
    claimedAt: Date,
  ): Promise<ClaimResultDto> {
    // The business day the script counted the claim in, so the give-back undoes exactly that count.
    const day = businessDay(claimedAt);
    await this.scripts.unclaim(...keys, offer.id, round.id, runId, reason === 'duplicate_key' ? 'failed' : reason, day, ...offer.limitedCategories).catch(() => undefined);
    if (reason === 'limit') return this.firstResultOrLimit(resident.id, round.id, offer.id, key, keys[2]);
    // Refused because Redis had lost the key's record (a restart): Postgres has the key's first answer.
    // A key used in another campaign is refused there too (claimWithKey).
    const earlier = key && (reason === 'duplicate_key' || reason === 'sold_out') ? await this.answeredBefore(resident.id, key, keys[2], round.id, offer.id) : undefined;
    if (earlier) return earlier;
    if (reason === 'sold_out') throw new DomainError(ErrorCode.SoldOut, 'This offer is sold out');
    if (reason === 'duplicate_key') notRecordedYet();
    throw error;
  }

  private async isCommitted(claimId: string): Promise<boolean> {
    return ((await this.dataSource.query(`SELECT 1 FROM claims WHERE id = $1`, [claimId])) as unknown[]).length > 0;
  }

  /** After the commit, the idempotency record points at the claim for a day (a lost write only costs a Postgres lookup). */
  private rememberKey(redisKey: string, roundId: string, offerId: string, claimId: string): void {
    this.redis.set(redisKey, `${roundId}/${offerId}|${claimId}`, 'EX', 86400).catch(() => undefined);
  }

  /** The claim this key was answered with, as Postgres has it; Redis is told again, so the next replay asks Redis only. */
  private async answeredBefore(residentId: string, key: string, redisKey: string, roundId: string, offerId: string): Promise<ClaimResultDto | undefined> {
    const claim = await this.claimWithKey(residentId, key, roundId, offerId);
    if (claim) this.rememberKey(redisKey, roundId, offerId, claim.claimId);
    return claim;
  }

  /**
   * At a limit: a retry gets its first result back instead of an error. That is the claim its
   * Idempotency-Key was answered with (whose record in Redis may be gone), else the resident's first claim
   * of this offer in this round (a retry after a timeout); with neither, LIMIT_REACHED. A key answered
   * with that first claim is recorded in Postgres (claim_keys) before the answer: its replays get the
   * same claim once the offer is sold out, the round closed or Redis restarted.
   */
  private async firstResultOrLimit(
    residentId: string, roundId: string, offerId: string, key: string | undefined, redisKey: string, scope = 'campaign',
  ): Promise<ClaimResultDto> {
    const withKey = key ? await this.answeredBefore(residentId, key, redisKey, roundId, offerId) : undefined;
    if (withKey) return withKey;
    const [existing] = (await this.dataSource.query(
      `SELECT id FROM claims WHERE resident_id = $1 AND round_id = $2 AND offer_id = $3 ORDER BY claimed_at, id LIMIT 1`,
      [residentId, roundId, offerId],
    )) as { id: string }[];
    const first = existing && (await this.findClaim(residentId, { id: existing.id }));
    if (!first) throw new DomainError(ErrorCode.LimitReached, LIMIT_MESSAGES[scope] ?? LIMIT_MESSAGES.campaign, { limit: scope });
    if (key) {
      // A concurrent request with the same key records the same first claim: the conflict changes nothing.
      await this.dataSource.query(
        `INSERT INTO claim_keys (resident_id, idempotency_key, claim_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
        [residentId, key, first.claimId],
      );
      this.rememberKey(redisKey, roundId, offerId, first.claimId);
    }
    return first;
  }

  /**
   * The resident's claim made or answered with this Idempotency-Key (claims, then claim_keys), if Postgres
   * has one; a key used for another round or offer is refused.
   */
  private async claimWithKey(residentId: string, key: string, roundId: string, offerId: string): Promise<ClaimResultDto | undefined> {
    const claim = await this.findClaim(residentId, { idempotencyKey: key });
    if (claim && (claim.roundId !== roundId || claim.offerId !== offerId)) {
      throw new DomainError(ErrorCode.IdempotencyKeyReused, 'This Idempotency-Key was used for another claim');
    }
    return claim;
  }

  private async findClaim(residentId: string, by: { id: string } | { idempotencyKey: string }): Promise<ClaimResultDto | undefined> {
    const [match, value] = 'id' in by ? [BY_ID, by.id] : [BY_KEY, by.idempotencyKey];
    const [claim] = (await this.dataSource.query(
      `SELECT id, round_id, offer_id, claimed_at FROM claims WHERE resident_id = $1 AND ${match}`,
      [residentId, value],
    )) as { id: string; round_id: string; offer_id: string; claimed_at: Date }[];
    if (!claim) return undefined;
    const vouchers = (await this.dataSource.query(`${VOUCHERS} WHERE v.claim_id = $1 ORDER BY t.threshold_fen, v.id`, [claim.id])) as VoucherRow[];
    return { claimId: claim.id, roundId: claim.round_id, offerId: claim.offer_id, claimedAt: claim.claimed_at.toISOString(), vouchers: vouchers.map(voucherDto) };
  }

  /** The resident's vouchers, newest first, in the statuses asked for (all when none). */
  async myVouchers(residentId: string, query: ListVouchersQuery): Promise<VoucherDto[]> {
    const rows = (await this.dataSource.query(
      `${VOUCHERS} WHERE v.resident_id = $1 AND ($2::voucher_status[] IS NULL OR ${SHOWN_STATUS} = ANY ($2))
        ORDER BY v.claimed_at DESC, t.threshold_fen, v.id LIMIT 500`,
      [residentId, query.status ?? null],
    )) as VoucherRow[];
    return rows.map(voucherDto);
  }

  /** One of the resident's own vouchers with its history; another resident's is as unknown as a missing one. */
  async myVoucher(residentId: string, voucherId: string): Promise<VoucherDetailDto> {
    const [row] = (await this.dataSource.query(`${VOUCHERS} WHERE v.id = $1 AND v.resident_id = $2`, [voucherId, residentId])) as VoucherRow[];
    if (!row) throw new DomainError(ErrorCode.VoucherNotFound, `No voucher ${voucherId}`);
    const redemptions = (await this.dataSource.query(
      `SELECT r.id, m.name AS merchant_name, r.order_amount_fen, r.discount_fen, r.redeemed_at, r.reversed_at
         FROM redemptions r JOIN merchants m ON m.id = r.merchant_id WHERE r.voucher_id = $1 ORDER BY r.redeemed_at, r.id`,
      [voucherId],
    )) as RedemptionRow[];
    const voucher = voucherDto(row);
    return { ...voucher, history: historyOf(voucher, redemptions) };
  }
}
