import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppConfig } from '@quan/config';
import { GroupCommit, queryPrepared, redemptionEventSql, SettlementJob } from '@quan/data';
import { Fen } from '@quan/domain';
import { currentTraceparent, groupCommitObserver, isInfrastructureUnavailable, Metrics } from '@quan/platform';

export interface NewRedemption {
  id: string;
  voucherId: string;
  campaignId: string;
  voucherTypeId: string;
  residentId: string;
  merchantId: string;
  cashierId: string;
  orderAmountFen: Fen;
  discountFen: Fen;
  subsidyFen: Fen;
  merchantFundedFen: Fen;
  businessDay: string;
  redeemedAt: Date;
  idempotencyKey: string;
  /** The request's traceparent while tracing is on (currentTraceparent), carried into its outbox message. */
  trace?: string;
}

/** Why Postgres refused a redemption decided in Redis. */
export type RedemptionRefusal = 'already_redeemed' | 'voucher_state' | 'budget' | 'duplicate_key';

export class RedemptionRefused extends Error {
  constructor(readonly reason: RedemptionRefusal) {
    super(`redemption refused by Postgres: ${reason}`);
  }
}

const EVENT_FIELDS = {
  redemptionId: 'id',
  campaignId: 'campaign_id',
  merchantId: 'merchant_id',
  businessDay: 'business_day',
  subsidyFen: 'subsidy_fen',
};
const EVENT = redemptionEventSql(EVENT_FIELDS);
const TRACED_EVENT = redemptionEventSql({ ...EVENT_FIELDS, trace: 't.trace' });

const REFUSALS: Record<string, () => RedemptionRefused> = {
  uq_redemptions_voucher_active: () => new RedemptionRefused('already_redeemed'),
  ck_vouchers_transition: () => new RedemptionRefused('voucher_state'),
  ck_campaign_spend_budget: () => new RedemptionRefused('budget'),
  uq_redemptions_idempotency: () => new RedemptionRefused('duplicate_key'),
};

/**
 * Redemptions decided in Redis are committed in groups (GroupCommit), one statement per batch: the
 * redemptions, their vouchers set to redeemed (the trigger on vouchers refuses any other starting state),
 * the campaigns' spend (checked against the budget) and one outbox message each for settlement. A
 * redemption is answered only after its batch committed.
 */
@Injectable()
export class RedemptionWriter implements OnApplicationShutdown {
  private readonly group: GroupCommit<NewRedemption>;

  constructor(
    private readonly dataSource: DataSource,
    config: AppConfig,
    metrics: Metrics,
  ) {
    this.group = new GroupCommit((redemptions) => this.commit(redemptions), config, {
      failsEveryItem: isInfrastructureUnavailable,
      refusals: REFUSALS,
      observe: groupCommitObserver(metrics, 'redemptions'),
    });
  }

  /** Called in the request's context, where the request's span (if tracing is on) is active. */
  write(redemption: NewRedemption): Promise<void> {
    const trace = currentTraceparent();
    return this.group.write(trace ? { ...redemption, trace } : redemption);
  }

  private async commit(batch: NewRedemption[]): Promise<void> {
    const column = <K extends keyof NewRedemption>(key: K) => batch.map((r) => r[key]);
    // Traced batches use a statement of their own, so the untraced one (tracing off) is unchanged.
    const traced = batch.some((r) => r.trace);
    await queryPrepared(
      this.dataSource,
      traced ? 'redemption-commit-traced' : 'redemption-commit',
      `WITH new AS (
         INSERT INTO redemptions (id, voucher_id, campaign_id, voucher_type_id, resident_id, merchant_id, cashier_id, order_amount_fen,
                                  discount_fen, subsidy_fen, merchant_funded_fen, business_day, redeemed_at, idempotency_key, insert_xid)
         SELECT *, pg_current_xact_id()::text::bigint
           FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::uuid[], $5::uuid[], $6::uuid[], $7::uuid[], $8::bigint[],
                       $9::bigint[], $10::bigint[], $11::bigint[], $12::date[], $13::timestamptz[], $14::text[])
         RETURNING id, voucher_id, campaign_id, merchant_id, business_day, subsidy_fen
       ), used AS (
         UPDATE vouchers v SET status = 'redeemed' FROM new WHERE v.id = new.voucher_id
       ), spend AS (
         INSERT INTO campaign_spend (campaign_id, budget_fen, redeemed_subsidy_fen)
         SELECT new.campaign_id, c.budget_fen, sum(new.subsidy_fen) FROM new JOIN campaigns c ON c.id = new.campaign_id GROUP BY 1, 2
         ON CONFLICT (campaign_id) DO UPDATE
           SET redeemed_subsidy_fen = campaign_spend.redeemed_subsidy_fen + excluded.redeemed_subsidy_fen, budget_fen = excluded.budget_fen
       )
       INSERT INTO outbox (topic, payload)
       SELECT $15, ${traced ? TRACED_EVENT : EVENT}
         FROM new${traced ? ' JOIN unnest($1::uuid[], $16::text[]) AS t(id, trace) USING (id)' : ''} ORDER BY id`,
      [
        column('id'),
        column('voucherId'),
        column('campaignId'),
        column('voucherTypeId'),
        column('residentId'),
        column('merchantId'),
        column('cashierId'),
        column('orderAmountFen'),
        column('discountFen'),
        column('subsidyFen'),
        column('merchantFundedFen'),
        column('businessDay'),
        column('redeemedAt'),
        column('idempotencyKey'),
        SettlementJob.Redeemed,
        ...(traced ? [batch.map((r) => r.trace ?? null)] : []),
      ],
    );
  }

  /** Shutdown: redemptions already decided are committed (and answered) before connections close. */
  onApplicationShutdown(): Promise<void> {
    return this.group.drained();
  }
}
