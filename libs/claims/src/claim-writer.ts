import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppConfig } from '@quan/config';
import { isInfrastructureUnavailable } from '@quan/platform';

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

interface Pending {
  claim: NewClaim;
  resolve: () => void;
  reject: (error: unknown) => void;
}

const CONSTRAINT_REFUSALS: Record<string, Refusal> = {
  ck_round_offers_issued: 'sold_out',
  uq_claims_person_seq: 'limit',
  uq_claims_idempotency: 'duplicate_key',
};

/**
 * Group commit: claims decided in Redis wait here briefly and are written to Postgres together, one
 * transaction for many claims, so durability costs one fsync per batch instead of one per claim. A
 * claim's promise settles only after its transaction commits (or fails), and only then is it answered.
 * A batch that Postgres refuses as a whole is retried claim by claim, so one bad claim fails alone.
 */
@Injectable()
export class ClaimWriter implements OnApplicationShutdown {
  private queue: Pending[] = [];
  private inFlight = 0;
  private scheduled = false;
  private idle: (() => void) | undefined;

  constructor(
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
  ) {}

  write(claim: NewClaim): Promise<void> {
    return new Promise((resolve, reject) => {
      this.queue.push({ claim, resolve, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    // Everything that arrives in this turn of the event loop joins the same batch.
    setImmediate(() => {
      this.scheduled = false;
      this.drain();
    });
  }

  private drain(): void {
    while (this.queue.length > 0 && this.inFlight < this.config.CLAIM_COMMIT_CONCURRENCY) {
      const batch = this.queue.splice(0, this.config.CLAIM_BATCH_MAX);
      this.inFlight += 1;
      void this.commitBatch(batch).finally(() => {
        this.inFlight -= 1;
        if (this.queue.length > 0) this.schedule();
        else if (this.inFlight === 0) this.idle?.();
      });
    }
  }

  private async commitBatch(batch: Pending[]): Promise<void> {
    try {
      await this.commit(batch.map((p) => p.claim));
      batch.forEach((p) => p.resolve());
    } catch (error) {
      if (batch.length === 1 || isInfrastructureUnavailable(error)) {
        batch.forEach((p) => p.reject(this.refusalOf(error)));
        return;
      }
      for (const pending of batch) {
        try {
          await this.commit([pending.claim]);
          pending.resolve();
        } catch (single) {
          pending.reject(this.refusalOf(single));
        }
      }
    }
  }

  private refusalOf(error: unknown): unknown {
    const constraint = (error as { constraint?: string }).constraint;
    const refusal = constraint ? CONSTRAINT_REFUSALS[constraint] : undefined;
    return refusal ? new ClaimRefused(refusal) : error;
  }

  /**
   * One statement, committed on its own: the claims, their vouchers and the offers' issued counts. The
   * stock row is the one hot row of a round, so it is locked for as short a time as possible: one round
   * trip, no transaction held open across statements. Postgres refuses issued > stock through
   * ck_round_offers_issued, which fails the whole statement.
   */
  private async commit(claims: NewClaim[]): Promise<void> {
    const perOffer = new Map<string, number>();
    for (const claim of claims) perOffer.set(claim.offerId, (perOffer.get(claim.offerId) ?? 0) + 1);
    const offerIds = [...perOffer.keys()].sort();
    const vouchers = claims.flatMap((claim) => claim.vouchers.map((voucher) => ({ claim, voucher })));
    await this.dataSource.query(
      `WITH new_claims AS (
         INSERT INTO claims (id, campaign_id, round_id, offer_id, resident_id, identity_id, person_seq, idempotency_key, claimed_at)
         SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::uuid[], $5::uuid[], $6::uuid[], $7::int[], $8::text[], $9::timestamptz[])
       ), new_vouchers AS (
         INSERT INTO vouchers (id, claim_id, campaign_id, voucher_type_id, resident_id, short_code, valid_from, valid_until, claimed_at)
         SELECT * FROM unnest($10::uuid[], $11::uuid[], $12::uuid[], $13::uuid[], $14::uuid[], $15::text[], $16::timestamptz[], $17::timestamptz[], $18::timestamptz[])
       )
       UPDATE round_offers o SET issued = o.issued + v.n FROM unnest($19::uuid[], $20::int[]) AS v(id, n) WHERE o.id = v.id`,
      [
        claims.map((c) => c.id), claims.map((c) => c.campaignId), claims.map((c) => c.roundId), claims.map((c) => c.offerId),
        claims.map((c) => c.residentId), claims.map((c) => c.identityId), claims.map((c) => c.personSeq),
        claims.map((c) => c.idempotencyKey), claims.map((c) => c.claimedAt),
        vouchers.map((v) => v.voucher.id), vouchers.map((v) => v.claim.id), vouchers.map((v) => v.claim.campaignId),
        vouchers.map((v) => v.voucher.voucherTypeId), vouchers.map((v) => v.claim.residentId), vouchers.map((v) => v.voucher.shortCode),
        vouchers.map((v) => v.voucher.validFrom), vouchers.map((v) => v.voucher.validUntil), vouchers.map((v) => v.claim.claimedAt),
        offerIds, offerIds.map((id) => perOffer.get(id)!),
      ],
    );
  }

  /** Shutdown: claims already decided are committed (and answered) before connections close. */
  async onApplicationShutdown(): Promise<void> {
    if (this.queue.length === 0 && this.inFlight === 0) return;
    await new Promise<void>((resolve) => {
      this.idle = resolve;
      this.drain();
    });
  }
}
