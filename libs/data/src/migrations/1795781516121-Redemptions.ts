import { MigrationInterface, QueryRunner } from 'typeorm';

export class Redemptions1795781516121 implements MigrationInterface {
  name = 'Redemptions1795781516121';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "campaign_spend" ("campaign_id" uuid NOT NULL, "budget_fen" bigint NOT NULL, "redeemed_subsidy_fen" bigint NOT NULL DEFAULT '0', CONSTRAINT "ck_campaign_spend_budget" CHECK ("redeemed_subsidy_fen" >= 0 AND "redeemed_subsidy_fen" <= "budget_fen"), CONSTRAINT "PK_e789f0cf55019d274c75f0b5871" PRIMARY KEY ("campaign_id"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "outbox" ("id" bigint GENERATED ALWAYS AS IDENTITY NOT NULL, "topic" text NOT NULL, "payload" jsonb NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "relayed_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_340ab539f309f03bdaa14aa7649" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "ix_outbox_pending" ON "outbox"  ("id") WHERE "relayed_at" IS NULL`);
    await queryRunner.query(`CREATE TABLE "redemptions" ("id" uuid NOT NULL, "voucher_id" uuid NOT NULL, "campaign_id" uuid NOT NULL, "voucher_type_id" uuid NOT NULL, "resident_id" uuid NOT NULL, "merchant_id" uuid NOT NULL, "cashier_id" uuid NOT NULL, "order_amount_fen" bigint NOT NULL, "discount_fen" bigint NOT NULL, "subsidy_fen" bigint NOT NULL, "merchant_funded_fen" bigint NOT NULL, "business_day" date NOT NULL, "redeemed_at" TIMESTAMP WITH TIME ZONE NOT NULL, "idempotency_key" text NOT NULL, "reversed_at" TIMESTAMP WITH TIME ZONE, "reversed_by_id" uuid, "reversal_business_day" date, "insert_xid" bigint, "reversal_xid" bigint, CONSTRAINT "ck_redemptions_reversal" CHECK (("reversed_at" IS NULL) = ("reversed_by_id" IS NULL) AND ("reversed_at" IS NULL) = ("reversal_business_day" IS NULL)), CONSTRAINT "ck_redemptions_amounts" CHECK ("order_amount_fen" > 0 AND "discount_fen" > 0 AND "discount_fen" <= "order_amount_fen"
  AND "subsidy_fen" >= 0 AND "merchant_funded_fen" >= 0 AND "subsidy_fen" + "merchant_funded_fen" = "discount_fen"), CONSTRAINT "PK_def143ab94376fea5985bb04219" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "ix_redemptions_campaign" ON "redemptions"  ("campaign_id") `);
    await queryRunner.query(
      `CREATE INDEX "ix_redemptions_merchant_day" ON "redemptions"  ("merchant_id", "business_day", "redeemed_at") `,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_redemptions_idempotency" ON "redemptions"  ("merchant_id", "idempotency_key") `,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_redemptions_voucher_active" ON "redemptions"  ("voucher_id") WHERE "reversed_at" IS NULL`,
    );
    await queryRunner.query(`ALTER TABLE "campaigns" ADD "issue_beyond_budget" boolean NOT NULL DEFAULT false`);
    // A voucher moves only along claimed → redeemed | expired | revoked and back from redeemed to claimed
    // (a reversal); anything else fails the statement, whatever the caller believed.
    await queryRunner.query(`CREATE FUNCTION "vouchers_transition"() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.status IS DISTINCT FROM OLD.status AND NOT (
             (OLD.status = 'claimed' AND NEW.status IN ('redeemed', 'expired', 'revoked'))
          OR (OLD.status = 'redeemed' AND NEW.status = 'claimed')) THEN
          RAISE EXCEPTION 'voucher % cannot go from % to %', OLD.id, OLD.status, NEW.status
            USING ERRCODE = 'check_violation', CONSTRAINT = 'ck_vouchers_transition';
        END IF;
        RETURN NEW;
      END $$`);
    await queryRunner.query(
      `CREATE TRIGGER "tr_vouchers_transition" BEFORE UPDATE OF "status" ON "vouchers" FOR EACH ROW EXECUTE FUNCTION "vouchers_transition"()`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER "tr_vouchers_transition" ON "vouchers"`);
    await queryRunner.query(`DROP FUNCTION "vouchers_transition"()`);
    await queryRunner.query(`ALTER TABLE "campaigns" DROP COLUMN "issue_beyond_budget"`);
    await queryRunner.query(`DROP INDEX "public"."uq_redemptions_voucher_active"`);
    await queryRunner.query(`DROP INDEX "public"."uq_redemptions_idempotency"`);
    await queryRunner.query(`DROP INDEX "public"."ix_redemptions_merchant_day"`);
    await queryRunner.query(`DROP INDEX "public"."ix_redemptions_campaign"`);
    await queryRunner.query(`DROP TABLE "redemptions"`);
    await queryRunner.query(`DROP INDEX "public"."ix_outbox_pending"`);
    await queryRunner.query(`DROP TABLE "outbox"`);
    await queryRunner.query(`DROP TABLE "campaign_spend"`);
  }
}
