import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The reports' aggregates, the events folded into them and the catch-up watermarks. Redemptions committed
 * before this migration are folded in by the worker's first catch-up (`ReportFolder.catchUp`), not here.
 */
export class Reports1796905000000 implements MigrationInterface {
  name = 'Reports1796905000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "report_redemption_days" ("campaign_id" uuid NOT NULL, "business_day" date NOT NULL, "merchant_id" uuid NOT NULL, "county_code" text NOT NULL, "category_code" text NOT NULL, "redemptions" integer NOT NULL, "reversals" integer NOT NULL, "order_total_fen" bigint NOT NULL, "discount_fen" bigint NOT NULL, "subsidy_fen" bigint NOT NULL, "last_event_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "ck_report_redemption_days_counts" CHECK ("redemptions" >= 0 AND "reversals" >= 0), CONSTRAINT "PK_58602daf1f30831d997b9544184" PRIMARY KEY ("campaign_id", "business_day", "merchant_id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_report_redemption_days_day" ON "report_redemption_days"  ("business_day", "county_code") `,
    );
    await queryRunner.query(
      `CREATE TABLE "report_area_days" ("campaign_id" uuid NOT NULL, "business_day" date NOT NULL, "county_code" text NOT NULL, "category_code" text NOT NULL, "redemptions" integer NOT NULL, "reversals" integer NOT NULL, "order_total_fen" bigint NOT NULL, "discount_fen" bigint NOT NULL, "subsidy_fen" bigint NOT NULL, "last_event_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "ck_report_area_days_counts" CHECK ("redemptions" >= 0 AND "reversals" >= 0), CONSTRAINT "PK_d5ac72612ce781fb124bb306b1e" PRIMARY KEY ("campaign_id", "business_day", "county_code", "category_code"))`,
    );
    await queryRunner.query(`CREATE INDEX "ix_report_area_days_last_event" ON "report_area_days"  ("last_event_at") `);
    await queryRunner.query(
      `CREATE INDEX "ix_report_area_days_day" ON "report_area_days"  ("business_day", "county_code") `,
    );
    await queryRunner.query(
      `CREATE TABLE "report_claim_days" ("campaign_id" uuid NOT NULL, "business_day" date NOT NULL, "claims" integer NOT NULL, "vouchers_issued" integer NOT NULL, CONSTRAINT "PK_e1e59cb89eef7f5bfc965582ad2" PRIMARY KEY ("campaign_id", "business_day"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "report_folded_events" ("redemption_id" uuid NOT NULL, "kind" text NOT NULL, "folded_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "ck_report_folded_events_kind" CHECK ("kind" IN ('redeemed', 'reversed')), CONSTRAINT "PK_f8c50f91f7bc24e4eab6e671a8e" PRIMARY KEY ("redemption_id", "kind"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "report_watermarks" ("name" text NOT NULL, "at" TIMESTAMP WITH TIME ZONE NOT NULL, "position" uuid, CONSTRAINT "PK_1acc7ddbb3e81b0cad8cfc198ee" PRIMARY KEY ("name"))`,
    );
    await queryRunner.query(`CREATE INDEX "ix_claims_claimed_at" ON "claims" USING brin ("claimed_at") `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."ix_claims_claimed_at"`);
    await queryRunner.query(`DROP TABLE "report_watermarks"`);
    await queryRunner.query(`DROP TABLE "report_folded_events"`);
    await queryRunner.query(`DROP TABLE "report_claim_days"`);
    await queryRunner.query(`DROP INDEX "public"."ix_report_area_days_day"`);
    await queryRunner.query(`DROP INDEX "public"."ix_report_area_days_last_event"`);
    await queryRunner.query(`DROP TABLE "report_area_days"`);
    await queryRunner.query(`DROP INDEX "public"."ix_report_redemption_days_day"`);
    await queryRunner.query(`DROP TABLE "report_redemption_days"`);
  }
}
