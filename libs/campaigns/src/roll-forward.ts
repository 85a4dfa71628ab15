import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { DataSource, EntityManager, In } from 'typeorm';
import { AppConfig } from '@quan/config';
import { CampaignCounters } from '@quan/counters';
import { OfferItem, VoucherType } from '@quan/data';
import { maxBureauSubsidyFen } from '@quan/domain';
import { voucherRule } from './campaign-aggregate';

export interface RollForwardOutcome {
  expired: number;
  /** Packs of unclaimed stock moved from closed rounds into their roll-forward targets. */
  packsMoved: number;
  /** Packs added to target offers from the value of expired vouchers. */
  packsConverted: number;
}

/**
 * For every offer of a round that names a roll-forward round, the offer of that round granting exactly the
 * same vouchers (configuration guarantees one exists; the first by display order is taken).
 */
const OFFER_TARGETS = `
  offer_targets AS (
    SELECT DISTINCT ON (so.id) so.id AS source_offer_id, t.id AS target_offer_id
      FROM round_offers so JOIN rounds sr ON sr.id = so.round_id JOIN round_offers t ON t.round_id = sr.roll_forward_to_id
     WHERE (SELECT array_agg(voucher_type_id::text || '×' || quantity ORDER BY voucher_type_id) FROM offer_items WHERE offer_id = so.id)
         = (SELECT array_agg(voucher_type_id::text || '×' || quantity ORDER BY voucher_type_id) FROM offer_items WHERE offer_id = t.id)
     ORDER BY so.id, t.sort_order, t.id)`;

const EXPIRY_BATCH = 5000;

/**
 * Expiry and roll-forward, through the budget ledger (budget_ledger: every entry moves worst-case subsidy
 * from one account to another). Runs in the worker, safe on several replicas at once:
 * 1. Vouchers still claimed `EXPIRY_GRACE_MS` after their valid_until become expired (the redemption API
 *    refuses them from valid_until on, so none is in flight); each one's worst-case subsidy moves from
 *    `vouchers:OFFER` to `rollover:TARGET_OFFER`, or to `unspent:CAMPAIGN` when its round names no target.
 * 2. Whole packs worth of a rollover balance become stock of that target offer (`rollover:` → `offer:`).
 * 3. The unclaimed stock of rounds closed `EXPIRY_GRACE_MS` ago moves to the target offer (`offer:` → `offer:`):
 *    the source's stock becomes what it issued.
 * Stock changes are pushed to the Redis counters of the campaigns touched.
 */
@Injectable()
export class RollForward {
  private readonly logger = new Logger(RollForward.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly counters: CampaignCounters,
    private readonly config: AppConfig,
  ) {}

  async run(now = new Date()): Promise<RollForwardOutcome> {
    const cutoff = new Date(now.getTime() - this.config.EXPIRY_GRACE_MS);
    const touched = new Set<string>();
    let expired = 0;
    for (let batch = EXPIRY_BATCH; batch === EXPIRY_BATCH; expired += batch) batch = await this.expireBatch(cutoff);
    const packsConverted = await this.convertRollovers(touched);
    const packsMoved = await this.moveUnclaimed(cutoff, touched);
    for (const campaignId of touched) await this.counters.prepare(campaignId);
    const outcome = { expired, packsMoved, packsConverted };
    if (expired + packsMoved + packsConverted > 0) this.logger.log(outcome, 'vouchers expired and rolled forward');
    return outcome;
  }

  private async expireBatch(cutoff: Date): Promise<number> {
    return this.dataSource.transaction(async (manager) => {
      const due: { id: string; voucher_type_id: string }[] = await manager.query(
        `SELECT id, voucher_type_id FROM vouchers WHERE status = 'claimed' AND valid_until < $1 ORDER BY id LIMIT $2 FOR UPDATE SKIP LOCKED`,
        [cutoff, EXPIRY_BATCH],
      );
      if (due.length === 0) return 0;
      const values = await this.voucherValues(manager, [...new Set(due.map((v) => v.voucher_type_id))]);
      await manager.query(
        `WITH ${OFFER_TARGETS},
              expired AS (UPDATE vouchers SET status = 'expired' WHERE id = ANY($1::uuid[]) RETURNING id, campaign_id, claim_id, voucher_type_id),
              value AS (SELECT * FROM unnest($2::uuid[], $3::bigint[]) AS v(voucher_type_id, value_fen))
         INSERT INTO budget_ledger (campaign_id, entry_key, from_account, to_account, amount_fen)
         SELECT e.campaign_id, 'expire:' || e.id, 'vouchers:' || c.offer_id,
                coalesce('rollover:' || t.target_offer_id, 'unspent:' || e.campaign_id), value.value_fen
           FROM expired e JOIN claims c ON c.id = e.claim_id JOIN value USING (voucher_type_id)
           LEFT JOIN offer_targets t ON t.source_offer_id = c.offer_id`,
        [due.map((v) => v.id), [...values.keys()], [...values.values()].map(String)],
      );
      return due.length;
    });
  }

  /** Rollover balances worth at least one pack become stock of their offer, under the offer's row lock. */
  private async convertRollovers(touched: Set<string>): Promise<number> {
    const candidates: { offer_id: string }[] = await this.dataSource.query(
      `SELECT substring(account FROM 10) AS offer_id FROM (
         SELECT to_account AS account, amount_fen FROM budget_ledger WHERE to_account LIKE 'rollover:%'
         UNION ALL SELECT from_account, -amount_fen FROM budget_ledger WHERE from_account LIKE 'rollover:%') AS moves
        GROUP BY account HAVING sum(amount_fen) > 0`,
    );
    let converted = 0;
    for (const { offer_id: offerId } of candidates) {
      converted += await this.dataSource.transaction(async (manager) => {
        const [offer]: { campaign_id: string }[] = await manager.query(
          `SELECT r.campaign_id FROM round_offers o JOIN rounds r ON r.id = o.round_id WHERE o.id = $1 FOR UPDATE OF o`,
          [offerId],
        );
        const packValue = await this.packValue(manager, offerId);
        const [{ balance }]: { balance: string }[] = await manager.query(
          `SELECT coalesce(sum(CASE WHEN to_account = $1 THEN amount_fen ELSE -amount_fen END), 0)::text AS balance
             FROM budget_ledger WHERE to_account = $1 OR from_account = $1`,
          [`rollover:${offerId}`],
        );
        const packs = packValue > 0n ? Number(BigInt(balance) / packValue) : 0;
        if (packs === 0) return 0;
        await manager.query(`UPDATE round_offers SET stock = stock + $2 WHERE id = $1`, [offerId, packs]);
        await manager.query(
          `INSERT INTO budget_ledger (campaign_id, entry_key, from_account, to_account, amount_fen, packs) VALUES ($1, $2, $3, $4, $5, $6)`,
          [
            offer.campaign_id,
            `convert:${offerId}:${randomUUID()}`,
            `rollover:${offerId}`,
            `offer:${offerId}`,
            String(packValue * BigInt(packs)),
            packs,
          ],
        );
        touched.add(offer.campaign_id);
        return packs;
      });
    }
    return converted;
  }

  /** Unclaimed stock of closed rounds moves to the target offer, one source offer per transaction, oldest round first. */
  private async moveUnclaimed(cutoff: Date, touched: Set<string>): Promise<number> {
    const due: { source_offer_id: string; target_offer_id: string; campaign_id: string }[] =
      await this.dataSource.query(
        `WITH ${OFFER_TARGETS}
       SELECT t.source_offer_id, t.target_offer_id, r.campaign_id
         FROM offer_targets t JOIN round_offers o ON o.id = t.source_offer_id JOIN rounds r ON r.id = o.round_id
        WHERE r.closes_at < $1 AND o.stock > o.issued
        ORDER BY r.closes_at, o.id`,
        [cutoff],
      );
    let moved = 0;
    for (const { source_offer_id: source, target_offer_id: target, campaign_id: campaignId } of due) {
      moved += await this.dataSource.transaction(async (manager) => {
        const [locked]: { stock: number; issued: number }[] = await manager.query(
          `SELECT stock, issued FROM round_offers WHERE id = $1 FOR UPDATE`,
          [source],
        );
        const packs = locked.stock - locked.issued;
        if (packs <= 0) return 0;
        await manager.query(`UPDATE round_offers SET stock = issued WHERE id = $1`, [source]);
        await manager.query(`UPDATE round_offers SET stock = stock + $2 WHERE id = $1`, [target, packs]);
        const amount = (await this.packValue(manager, source)) * BigInt(packs);
        await manager.query(
          `INSERT INTO budget_ledger (campaign_id, entry_key, from_account, to_account, amount_fen, packs) VALUES ($1, $2, $3, $4, $5, $6)`,
          [
            campaignId,
            `unclaimed:${source}:${randomUUID()}`,
            `offer:${source}`,
            `offer:${target}`,
            String(amount),
            packs,
          ],
        );
        touched.add(campaignId);
        return packs;
      });
    }
    return moved;
  }

  /** The bureau's worst-case subsidy of one voucher of each type (its share of the largest discount). */
  private async voucherValues(manager: EntityManager, typeIds: string[]): Promise<Map<string, bigint>> {
    const types = await manager.findBy(VoucherType, { id: In(typeIds) });
    return new Map(types.map((type) => [type.id, maxBureauSubsidyFen(voucherRule(type))]));
  }

  /** The worst-case subsidy of one pack of an offer. */
  private async packValue(manager: EntityManager, offerId: string): Promise<bigint> {
    const items = await manager.findBy(OfferItem, { offerId });
    const values = await this.voucherValues(
      manager,
      items.map((item) => item.voucherTypeId),
    );
    return items.reduce((sum, item) => sum + (values.get(item.voucherTypeId) ?? 0n) * BigInt(item.quantity), 0n);
  }
}
