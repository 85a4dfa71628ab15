import { MigrationInterface, QueryRunner } from 'typeorm';

export class Initial1795773483445 implements MigrationInterface {
  name = 'Initial1795773483445';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TYPE "public"."county_kind" AS ENUM('district', 'county_level_city', 'county', 'functional_zone')`,
    );
    await queryRunner.query(
      `CREATE TABLE "counties" ("code" text NOT NULL, "name" text NOT NULL, "kind" "public"."county_kind" NOT NULL, "sort_order" integer NOT NULL DEFAULT '0', CONSTRAINT "UQ_4a2d050d01f66e23433efe30a79" UNIQUE ("name"), CONSTRAINT "PK_5ea349f0e0f5b794c6b68ca65c6" PRIMARY KEY ("code"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "categories" ("code" text NOT NULL, "name" text NOT NULL, "sort_order" integer NOT NULL DEFAULT '0', CONSTRAINT "UQ_8b0be371d28245da6e4f4b61878" UNIQUE ("name"), CONSTRAINT "PK_77d7eff8a7aaa05457a12b8007a" PRIMARY KEY ("code"))`,
    );
    await queryRunner.query(
      `CREATE TYPE "public"."merchant_status" AS ENUM('pending', 'approved', 'rejected', 'suspended')`,
    );
    await queryRunner.query(
      `CREATE TABLE "merchants" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "name" text NOT NULL, "licence_no" character(18) NOT NULL, "category_code" text NOT NULL, "county_code" text NOT NULL, "address" text NOT NULL, "bank_name" text NOT NULL, "bank_account_name" text NOT NULL, "bank_account_no" text NOT NULL, "above_quota" boolean NOT NULL DEFAULT false, "status" "public"."merchant_status" NOT NULL DEFAULT 'pending', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "UQ_13f76ff9d0a9176e4d54dda6455" UNIQUE ("licence_no"), CONSTRAINT "ck_merchants_licence_no" CHECK ("licence_no" ~ '^[0-9A-HJ-NPQRTUWXY]{18}$'), CONSTRAINT "PK_4fd312ef25f8e05ad47bfe7ed25" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "ix_merchants_county_status" ON "merchants"  ("county_code", "status") `);
    await queryRunner.query(
      `CREATE TYPE "public"."staff_role" AS ENUM('city_admin', 'county_admin', 'finance', 'auditor', 'merchant_admin', 'cashier')`,
    );
    await queryRunner.query(
      `CREATE TABLE "staff_accounts" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "username" text NOT NULL, "display_name" text NOT NULL, "password_hash" text NOT NULL, "role" "public"."staff_role" NOT NULL, "county_code" text, "merchant_id" uuid, "failed_logins" integer NOT NULL DEFAULT '0', "locked_until" TIMESTAMP WITH TIME ZONE, "disabled" boolean NOT NULL DEFAULT false, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "UQ_64e8fa86be63f4a57d92d4937d3" UNIQUE ("username"), CONSTRAINT "ck_staff_accounts_merchant_binding" CHECK (("role" IN ('merchant_admin', 'cashier')) = ("merchant_id" IS NOT NULL)), CONSTRAINT "ck_staff_accounts_county_binding" CHECK (("role" = 'county_admin') = ("county_code" IS NOT NULL)), CONSTRAINT "PK_25e92938ce9b35cca161db052ed" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE TYPE "public"."campaign_status" AS ENUM('draft', 'pending_approval', 'published', 'running', 'ended', 'archived')`,
    );
    await queryRunner.query(
      `CREATE TABLE "campaigns" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "code" text NOT NULL, "name" text NOT NULL, "scope_county_code" text, "budget_fen" bigint NOT NULL, "status" "public"."campaign_status" NOT NULL DEFAULT 'draft', "starts_at" TIMESTAMP WITH TIME ZONE NOT NULL, "ends_at" TIMESTAMP WITH TIME ZONE NOT NULL, "per_person_limit" integer NOT NULL DEFAULT '1', "created_by_id" uuid NOT NULL, "approved_by_id" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "version" integer NOT NULL, CONSTRAINT "UQ_91862d892c3bcd5b9b61d5f2b8d" UNIQUE ("code"), CONSTRAINT "ck_campaigns_approver" CHECK ("approved_by_id" IS NULL OR "approved_by_id" <> "created_by_id"), CONSTRAINT "ck_campaigns_per_person_limit" CHECK ("per_person_limit" >= 1), CONSTRAINT "ck_campaigns_window" CHECK ("ends_at" > "starts_at"), CONSTRAINT "ck_campaigns_budget" CHECK ("budget_fen" > 0), CONSTRAINT "PK_831e3fcd4fc45b4e4c3f57a9ee4" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE TYPE "public"."round_mode" AS ENUM('first_come', 'lottery')`);
    await queryRunner.query(
      `CREATE TABLE "rounds" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "campaign_id" uuid NOT NULL, "name" text NOT NULL, "mode" "public"."round_mode" NOT NULL DEFAULT 'first_come', "opens_at" TIMESTAMP WITH TIME ZONE NOT NULL, "closes_at" TIMESTAMP WITH TIME ZONE NOT NULL, "paused" boolean NOT NULL DEFAULT false, "roll_forward_to_id" uuid, CONSTRAINT "ck_rounds_window" CHECK ("closes_at" > "opens_at"), CONSTRAINT "PK_9d254884a20817016e2f877c7e7" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "round_offers" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "round_id" uuid NOT NULL, "name" text NOT NULL, "stock" integer NOT NULL, "sort_order" integer NOT NULL DEFAULT '0', CONSTRAINT "uq_round_offers_name" UNIQUE ("round_id", "name"), CONSTRAINT "ck_round_offers_stock" CHECK ("stock" >= 0), CONSTRAINT "PK_6f2ecaadf4c21554ec26b5a6cda" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE TYPE "public"."discount_kind" AS ENUM('threshold', 'fixed', 'percentage')`);
    await queryRunner.query(`CREATE TYPE "public"."validity_kind" AS ENUM('fixed_window', 'days_from_claim')`);
    await queryRunner.query(`CREATE TABLE "voucher_types" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "campaign_id" uuid NOT NULL, "name" text NOT NULL, "kind" "public"."discount_kind" NOT NULL, "threshold_fen" bigint NOT NULL DEFAULT '0', "discount_fen" bigint, "percent_off" integer, "cap_fen" bigint, "category_codes" text array NOT NULL DEFAULT '{}', "validity_kind" "public"."validity_kind" NOT NULL, "valid_from" TIMESTAMP WITH TIME ZONE, "valid_until" TIMESTAMP WITH TIME ZONE, "valid_days" integer, "bureau_share_bp" integer NOT NULL DEFAULT '10000', CONSTRAINT "ck_voucher_types_bureau_share" CHECK ("bureau_share_bp" BETWEEN 0 AND 10000), CONSTRAINT "ck_voucher_types_validity" CHECK (("validity_kind" = 'fixed_window' AND "valid_from" IS NOT NULL AND "valid_until" > "valid_from" AND "valid_days" IS NULL)
  OR ("validity_kind" = 'days_from_claim' AND "valid_days" >= 1 AND "valid_from" IS NULL AND "valid_until" IS NULL)), CONSTRAINT "ck_voucher_types_discount" CHECK (("kind" = 'threshold' AND "discount_fen" > 0 AND "threshold_fen" > "discount_fen" AND "percent_off" IS NULL AND "cap_fen" IS NULL)
  OR ("kind" = 'fixed' AND "discount_fen" > 0 AND "threshold_fen" = 0 AND "percent_off" IS NULL AND "cap_fen" IS NULL)
  OR ("kind" = 'percentage' AND "discount_fen" IS NULL AND "percent_off" BETWEEN 1 AND 99 AND "cap_fen" > 0 AND "threshold_fen" >= 0)), CONSTRAINT "PK_47e99714ff7105621d7104b7fad" PRIMARY KEY ("id"))`);
    await queryRunner.query(
      `CREATE TABLE "offer_items" ("offer_id" uuid NOT NULL, "voucher_type_id" uuid NOT NULL, "quantity" integer NOT NULL, CONSTRAINT "ck_offer_items_quantity" CHECK ("quantity" BETWEEN 1 AND 100), CONSTRAINT "PK_a9a7d8422cfd42af5634f2cd99d" PRIMARY KEY ("offer_id", "voucher_type_id"))`,
    );
    await queryRunner.query(
      `ALTER TABLE "merchants" ADD CONSTRAINT "FK_66e544c9a77661d2ebc54b0959b" FOREIGN KEY ("category_code") REFERENCES "categories"("code") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "merchants" ADD CONSTRAINT "FK_f101d30075c1ea6584b4b3f416e" FOREIGN KEY ("county_code") REFERENCES "counties"("code") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "staff_accounts" ADD CONSTRAINT "FK_1dec33ae849e5342297f67fa54b" FOREIGN KEY ("county_code") REFERENCES "counties"("code") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "staff_accounts" ADD CONSTRAINT "FK_cdf771e2f5558e88ea8561e7838" FOREIGN KEY ("merchant_id") REFERENCES "merchants"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "campaigns" ADD CONSTRAINT "FK_846e561b5e7d4624e1c5fd3ed57" FOREIGN KEY ("scope_county_code") REFERENCES "counties"("code") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "campaigns" ADD CONSTRAINT "FK_1d2e2277574f500601cd30fd82a" FOREIGN KEY ("created_by_id") REFERENCES "staff_accounts"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "campaigns" ADD CONSTRAINT "FK_85f08759bbefdb88a323ee96edb" FOREIGN KEY ("approved_by_id") REFERENCES "staff_accounts"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "rounds" ADD CONSTRAINT "FK_45ad47ab12f1054aada78849cd7" FOREIGN KEY ("campaign_id") REFERENCES "campaigns"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "rounds" ADD CONSTRAINT "FK_0cf9304222032503f3b5837c04a" FOREIGN KEY ("roll_forward_to_id") REFERENCES "rounds"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "round_offers" ADD CONSTRAINT "FK_4cba3b73f6251c5f0e840226739" FOREIGN KEY ("round_id") REFERENCES "rounds"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "voucher_types" ADD CONSTRAINT "FK_668a7689fdf1899c6c1675bf951" FOREIGN KEY ("campaign_id") REFERENCES "campaigns"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "offer_items" ADD CONSTRAINT "FK_ff898d1d76f6b2fe3fa64720343" FOREIGN KEY ("offer_id") REFERENCES "round_offers"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "offer_items" ADD CONSTRAINT "FK_fdd57b30ecbd710687ef9caa077" FOREIGN KEY ("voucher_type_id") REFERENCES "voucher_types"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "offer_items" DROP CONSTRAINT "FK_fdd57b30ecbd710687ef9caa077"`);
    await queryRunner.query(`ALTER TABLE "offer_items" DROP CONSTRAINT "FK_ff898d1d76f6b2fe3fa64720343"`);
    await queryRunner.query(`ALTER TABLE "voucher_types" DROP CONSTRAINT "FK_668a7689fdf1899c6c1675bf951"`);
    await queryRunner.query(`ALTER TABLE "round_offers" DROP CONSTRAINT "FK_4cba3b73f6251c5f0e840226739"`);
    await queryRunner.query(`ALTER TABLE "rounds" DROP CONSTRAINT "FK_0cf9304222032503f3b5837c04a"`);
    await queryRunner.query(`ALTER TABLE "rounds" DROP CONSTRAINT "FK_45ad47ab12f1054aada78849cd7"`);
    await queryRunner.query(`ALTER TABLE "campaigns" DROP CONSTRAINT "FK_85f08759bbefdb88a323ee96edb"`);
    await queryRunner.query(`ALTER TABLE "campaigns" DROP CONSTRAINT "FK_1d2e2277574f500601cd30fd82a"`);
    await queryRunner.query(`ALTER TABLE "campaigns" DROP CONSTRAINT "FK_846e561b5e7d4624e1c5fd3ed57"`);
    await queryRunner.query(`ALTER TABLE "staff_accounts" DROP CONSTRAINT "FK_cdf771e2f5558e88ea8561e7838"`);
    await queryRunner.query(`ALTER TABLE "staff_accounts" DROP CONSTRAINT "FK_1dec33ae849e5342297f67fa54b"`);
    await queryRunner.query(`ALTER TABLE "merchants" DROP CONSTRAINT "FK_f101d30075c1ea6584b4b3f416e"`);
    await queryRunner.query(`ALTER TABLE "merchants" DROP CONSTRAINT "FK_66e544c9a77661d2ebc54b0959b"`);
    await queryRunner.query(`DROP TABLE "offer_items"`);
    await queryRunner.query(`DROP TABLE "voucher_types"`);
    await queryRunner.query(`DROP TYPE "public"."validity_kind"`);
    await queryRunner.query(`DROP TYPE "public"."discount_kind"`);
    await queryRunner.query(`DROP TABLE "round_offers"`);
    await queryRunner.query(`DROP TABLE "rounds"`);
    await queryRunner.query(`DROP TYPE "public"."round_mode"`);
    await queryRunner.query(`DROP TABLE "campaigns"`);
    await queryRunner.query(`DROP TYPE "public"."campaign_status"`);
    await queryRunner.query(`DROP TABLE "staff_accounts"`);
    await queryRunner.query(`DROP TYPE "public"."staff_role"`);
    await queryRunner.query(`DROP INDEX "public"."ix_merchants_county_status"`);
    await queryRunner.query(`DROP TABLE "merchants"`);
    await queryRunner.query(`DROP TYPE "public"."merchant_status"`);
    await queryRunner.query(`DROP TABLE "categories"`);
    await queryRunner.query(`DROP TABLE "counties"`);
    await queryRunner.query(`DROP TYPE "public"."county_kind"`);
  }
}
