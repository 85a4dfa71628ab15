import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppConfig } from '@quan/config';
import { CONNECT_TIMEOUT_MS, GroupCommit, queryPrepared, STATEMENT_TIMEOUT_MS } from '@quan/data';
import { DomainError, ErrorCode } from '@quan/domain';
import { groupCommitObserver, isInfrastructureUnavailable, Metrics } from '@quan/platform';

export interface NewVoucher {
  id: string;
  voucherTypeId: string;
  shortCode: string;
  validFrom: Date;
  validUntil: Date;
}

export interface NewClaim {
  id: string;
  campaignId: string;
  roundId: string;
  offerId: string;
  residentId: string;
  identityId: string;
  personSeq: number;
  idempotencyKey: string | null;
  claimedAt: Date;
  vouchers: NewVoucher[];
}

/** Why Postgres refused a claim: each maps to a different answer and Redis compensation. */
export type Refusal = 'sold_out' | 'limit' | 'duplicate_key';

export class ClaimRefused extends Error {
  constructor(readonly reason: Refusal) {
    super(`claim refused by Postgres: ${reason}`);
  }
}

/**
 * The longest after it is sent that a statement can commit (a connection, then the statement until Postgres
 * cancels it), plus 3 s for the network and clocks. A claim not yet sent CLAIM_UNCOMMITTED_AFTER_MS minus this after its
 * decision (queued, or in a half of a failed batch) is refused instead (503, its counts given back): a
 * decision older than CLAIM_UNCOMMITTED_AFTER_MS is then committed, given back or lost with its api,
 * unless the network held its statement back longer, which is what CampaignCounters.settlePerson relies on.
 */
const COMMIT_TIME_MS = CONNECT_TIMEOUT_MS + STATEMENT_TIMEOUT_MS + 3000;

const REFUSALS: Record<string, () => ClaimRefused> = {
  ck_round_offers_issued: () => new ClaimRefused('sold_out'),
  uq_claims_person_seq: () => new ClaimRefused('limit'),
  uq_claims_idempotency: () => new ClaimRefused('duplicate_key'),
};

/**
 * Claims decided in Redis are committed to Postgres in groups (GroupCommit): a claim is answered only
 * after its batch's statement committed. Postgres refusals become a ClaimRefused with the reason.
 */
@Injectable()
export class ClaimWriter implements OnApplicationShutdown {
  private readonly group: GroupCommit<NewClaim>;

  constructor(
    private readonly dataSource: DataSource,
    config: AppConfig,
    metrics: Metrics,
  ) {
    const deadlineMs = config.CLAIM_UNCOMMITTED_AFTER_MS - COMMIT_TIME_MS;
    this.group = new GroupCommit((claims) => this.commit(claims), config, {
      failsEveryItem: isInfrastructureUnavailable,
      refusals: REFUSALS,
      observe: groupCommitObserver(metrics, 'claims'),
      tooLate: (claim) =>
        Date.now() - claim.claimedAt.getTime() > deadlineMs
          ? new DomainError(ErrorCode.Unavailable, 'Claims are committing too slowly; retry shortly')
          : undefined,
    });
  }

  write(claim: NewClaim): Promise<void> {
    return this.group.write(claim);
  }

  /**
   * One statement, committed on its own: the claims, their vouchers and the offers' issued counts. The
   * stock row is the one hot row of a round, so it is locked for as short a time as possible: one round
   * trip, no transaction held open across statements. Postgres refuses issued > stock through
   * ck_round_offers_issued, which fails the whole statement. It is a prepared statement, planned once
   * per connection rather than once per batch. A voucher names its claim by position in the batch and
   * takes the claim's id, campaign, resident and time from it: fewer values to encode and parse.
   */
  private async commit(claims: NewClaim[]): Promise<void> {
    const perOffer = new Map<string, number>();
    for (const claim of claims) perOffer.set(claim.offerId, (perOffer.get(claim.offerId) ?? 0) + 1);
    const offerIds = [...perOffer.keys()].sort();
    const vouchers = claims.flatMap((claim, n) => claim.vouchers.map((voucher) => ({ n: n + 1, voucher })));
    await queryPrepared(
      this.dataSource,
      'claim-commit',
      `WITH c AS (
         SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::uuid[], $5::uuid[], $6::uuid[], $7::int[], $8::text[], $9::timestamptz[])
           WITH ORDINALITY AS c(id, campaign_id, round_id, offer_id, resident_id, identity_id, person_seq, idempotency_key, claimed_at, n)
       ), new_claims AS (
         INSERT INTO claims (id, campaign_id, round_id, offer_id, resident_id, identity_id, person_seq, idempotency_key, claimed_at)
         SELECT id, campaign_id, round_id, offer_id, resident_id, identity_id, person_seq, idempotency_key, claimed_at FROM c
       ), new_vouchers AS (
         INSERT INTO vouchers (id, claim_id, campaign_id, voucher_type_id, resident_id, short_code, valid_from, valid_until, claimed_at)
         SELECT v.id, c.id, c.campaign_id, v.type_id, c.resident_id, v.code, v.valid_from, v.valid_until, c.claimed_at
           FROM unnest($10::uuid[], $11::int[], $12::uuid[], $13::text[], $14::timestamptz[], $15::timestamptz[]) AS v(id, n, type_id, code, valid_from, valid_until)
           JOIN c ON c.n = v.n
       )
       UPDATE round_offers o SET issued = o.issued + v.n FROM unnest($16::uuid[], $17::int[]) AS v(id, n) WHERE o.id = v.id`,
      [
        claims.map((c) => c.id),
        claims.map((c) => c.campaignId),
        claims.map((c) => c.roundId),
        claims.map((c) => c.offerId),
        claims.map((c) => c.residentId),
        claims.map((c) => c.identityId),
        claims.map((c) => c.personSeq),
        claims.map((c) => c.idempotencyKey),
        claims.map((c) => c.claimedAt),
        vouchers.map((v) => v.voucher.id),
        vouchers.map((v) => v.n),
        vouchers.map((v) => v.voucher.voucherTypeId),
        vouchers.map((v) => v.voucher.shortCode),
        vouchers.map((v) => v.voucher.validFrom),
        vouchers.map((v) => v.voucher.validUntil),
        offerIds,
        offerIds.map((id) => perOffer.get(id)!),
      ],
    );
  }

  /** Shutdown: claims already decided are committed (and answered) before connections close. */
  onApplicationShutdown(): Promise<void> {
    return this.group.drained();
  }
}
