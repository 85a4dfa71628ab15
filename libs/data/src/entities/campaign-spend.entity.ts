import { Check, Column, Entity, PrimaryColumn } from 'typeorm';
import { Fen } from '@quan/domain';
import { fenColumn } from '../columns';

/**
 * The subsidy a campaign has committed to pay through redemptions (reversals give it back). Postgres
 * refuses more than the budget (ck_campaign_spend_budget), behind the Redis budget counter of redeem.lua.
 * One row per campaign, updated once per group commit, so the lock is held for one statement.
 */
@Entity('campaign_spend')
@Check('ck_campaign_spend_budget', `"redeemed_subsidy_fen" >= 0 AND "redeemed_subsidy_fen" <= "budget_fen"`)
export class CampaignSpend {
  @PrimaryColumn({ type: 'uuid' })
  campaignId!: string;

  /** The campaign's budget when the row was last written. */
  @Column(fenColumn())
  budgetFen!: Fen;

  @Column(fenColumn({ default: 0 }))
  redeemedSubsidyFen!: Fen;
}
