import { MigrationInterface, QueryRunner } from 'typeorm';

export class BureauAndMerchants1795775733883 implements MigrationInterface {
  name = 'BureauAndMerchants1795775733883';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "audit_log" ("id" bigint GENERATED ALWAYS AS IDENTITY NOT NULL, "at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "actor_id" uuid, "actor_role" text NOT NULL, "action" text NOT NULL, "entity_type" text NOT NULL, "entity_id" text NOT NULL, "before" jsonb, "after" jsonb, "request_id" text, CONSTRAINT "PK_07fefa57f7f5ab8fc3f52b3ed0b" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "ix_audit_log_at" ON "audit_log"  ("at") `);
    await queryRunner.query(`CREATE INDEX "ix_audit_log_actor" ON "audit_log"  ("actor_id", "id") `);
    await queryRunner.query(`CREATE INDEX "ix_audit_log_entity" ON "audit_log"  ("entity_type", "entity_id", "id") `);
    await queryRunner.query(`ALTER TABLE "merchants" ADD "status_reason" text`);
    await queryRunner.query(`ALTER TABLE "campaigns" ADD "per_person_round_limit" integer`);
    await queryRunner.query(`ALTER TABLE "campaigns" ADD "per_person_daily_limit" integer`);
    await queryRunner.query(`ALTER TABLE "campaigns" ADD "per_person_category_limits" jsonb NOT NULL DEFAULT '{}'`);
    await queryRunner.query(`ALTER TABLE "campaigns" ADD "merchant_daily_redemption_limit" integer`);
    await queryRunner.query(`ALTER TABLE "campaigns" ADD "merchant_daily_subsidy_cap_fen" bigint`);
    await queryRunner.query(`ALTER TABLE "campaigns" ADD "eligible_category_codes" text array NOT NULL DEFAULT '{}'`);
    await queryRunner.query(`ALTER TABLE "campaigns" ADD "eligible_county_codes" text array NOT NULL DEFAULT '{}'`);
    await queryRunner.query(`ALTER TABLE "campaigns" ADD "merchant_allow_ids" uuid array NOT NULL DEFAULT '{}'`);
    await queryRunner.query(`ALTER TABLE "campaigns" ADD "merchant_deny_ids" uuid array NOT NULL DEFAULT '{}'`);
    await queryRunner.query(`ALTER TABLE "campaigns" ADD "above_quota_only" boolean NOT NULL DEFAULT false`);
    await queryRunner.query(`ALTER TABLE "campaigns" ADD "approved_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(`ALTER TABLE "campaigns" ADD "maker_ids" uuid array NOT NULL DEFAULT '{}'`);
    await queryRunner.query(`ALTER TABLE "campaigns" ADD "review_note" text`);
    await queryRunner.query(`ALTER TABLE "rounds" ADD "draw_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(
      `ALTER TABLE "campaigns" ADD CONSTRAINT "ck_campaigns_eligibility" CHECK (NOT ("merchant_allow_ids" && "merchant_deny_ids"))`,
    );
    await queryRunner.query(
      `ALTER TABLE "campaigns" ADD CONSTRAINT "ck_campaigns_merchant_limits" CHECK (("merchant_daily_redemption_limit" IS NULL OR "merchant_daily_redemption_limit" >= 1) AND ("merchant_daily_subsidy_cap_fen" IS NULL OR "merchant_daily_subsidy_cap_fen" >= 1))`,
    );
    await queryRunner.query(
      `ALTER TABLE "campaigns" ADD CONSTRAINT "ck_campaigns_person_limits" CHECK (("per_person_round_limit" IS NULL OR "per_person_round_limit" BETWEEN 1 AND "per_person_limit") AND ("per_person_daily_limit" IS NULL OR "per_person_daily_limit" BETWEEN 1 AND "per_person_limit"))`,
    );
    await queryRunner.query(
      `ALTER TABLE "campaigns" ADD CONSTRAINT "ck_campaigns_checker_not_maker" CHECK ("approved_by_id" IS NULL OR NOT ("approved_by_id" = ANY ("maker_ids")))`,
    );
    await queryRunner.query(
      `ALTER TABLE "rounds" ADD CONSTRAINT "ck_rounds_draw" CHECK (("mode" = 'lottery') = ("draw_at" IS NOT NULL) AND ("draw_at" IS NULL OR "draw_at" >= "closes_at"))`,
    );
    // Written by hand: the audit log is append-only, whatever the application does.
    await queryRunner.query(
      `CREATE FUNCTION "audit_log_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'audit_log is append-only'; END $$`,
    );
    await queryRunner.query(
      `CREATE TRIGGER "tr_audit_log_append_only" BEFORE UPDATE OR DELETE OR TRUNCATE ON "audit_log" FOR EACH STATEMENT EXECUTE FUNCTION "audit_log_append_only"()`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER "tr_audit_log_append_only" ON "audit_log"`);
    await queryRunner.query(`DROP FUNCTION "audit_log_append_only"()`);
    await queryRunner.query(`ALTER TABLE "rounds" DROP CONSTRAINT "ck_rounds_draw"`);
    await queryRunner.query(`ALTER TABLE "campaigns" DROP CONSTRAINT "ck_campaigns_checker_not_maker"`);
    await queryRunner.query(`ALTER TABLE "campaigns" DROP CONSTRAINT "ck_campaigns_person_limits"`);
    await queryRunner.query(`ALTER TABLE "campaigns" DROP CONSTRAINT "ck_campaigns_merchant_limits"`);
    await queryRunner.query(`ALTER TABLE "campaigns" DROP CONSTRAINT "ck_campaigns_eligibility"`);
    await queryRunner.query(`ALTER TABLE "rounds" DROP COLUMN "draw_at"`);
    await queryRunner.query(`ALTER TABLE "campaigns" DROP COLUMN "review_note"`);
    await queryRunner.query(`ALTER TABLE "campaigns" DROP COLUMN "maker_ids"`);
    await queryRunner.query(`ALTER TABLE "campaigns" DROP COLUMN "approved_at"`);
    await queryRunner.query(`ALTER TABLE "campaigns" DROP COLUMN "above_quota_only"`);
    await queryRunner.query(`ALTER TABLE "campaigns" DROP COLUMN "merchant_deny_ids"`);
    await queryRunner.query(`ALTER TABLE "campaigns" DROP COLUMN "merchant_allow_ids"`);
    await queryRunner.query(`ALTER TABLE "campaigns" DROP COLUMN "eligible_county_codes"`);
    await queryRunner.query(`ALTER TABLE "campaigns" DROP COLUMN "eligible_category_codes"`);
    await queryRunner.query(`ALTER TABLE "campaigns" DROP COLUMN "merchant_daily_subsidy_cap_fen"`);
    await queryRunner.query(`ALTER TABLE "campaigns" DROP COLUMN "merchant_daily_redemption_limit"`);
    await queryRunner.query(`ALTER TABLE "campaigns" DROP COLUMN "per_person_category_limits"`);
    await queryRunner.query(`ALTER TABLE "campaigns" DROP COLUMN "per_person_daily_limit"`);
    await queryRunner.query(`ALTER TABLE "campaigns" DROP COLUMN "per_person_round_limit"`);
    await queryRunner.query(`ALTER TABLE "merchants" DROP COLUMN "status_reason"`);
    await queryRunner.query(`DROP INDEX "public"."ix_audit_log_entity"`);
    await queryRunner.query(`DROP INDEX "public"."ix_audit_log_actor"`);
    await queryRunner.query(`DROP INDEX "public"."ix_audit_log_at"`);
    await queryRunner.query(`DROP TABLE "audit_log"`);
  }
}
