import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Risk: versioned rules, the aggregates the worker folds from the outbox (per merchant and day, per
 * category and day, per merchant and five minutes), the events folded, the sources identities were verified
 * from, and the flags. `risk_flags` is read by settlement (a statement of a merchant with a held flag cannot
 * be approved) at the data level, so neither feature imports the other.
 */
export class Risk1797002000000 implements MigrationInterface {
  name = 'Risk1797002000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "risk_rules" ("code" text NOT NULL, "version" integer NOT NULL, "parameters" jsonb NOT NULL, "changed_by_id" uuid, "reason" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "ck_risk_rules_version" CHECK ("version" >= 1), CONSTRAINT "pk_risk_rules" PRIMARY KEY ("code", "version"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "risk_folded_events" ("redemption_id" uuid NOT NULL, "kind" text NOT NULL, CONSTRAINT "ck_risk_folded_events_kind" CHECK ("kind" IN ('redeemed', 'reversed')), CONSTRAINT "pk_risk_folded_events" PRIMARY KEY ("redemption_id", "kind"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "risk_merchant_days" ("merchant_id" uuid NOT NULL, "business_day" date NOT NULL, "county_code" text NOT NULL, "category_code" text NOT NULL, "redemptions" integer NOT NULL, "threshold_orders" integer NOT NULL, "band_orders" integer NOT NULL, "quick_redemptions" integer NOT NULL, "night_redemptions" integer NOT NULL, "reversals" integer NOT NULL, "rebounds" integer NOT NULL, "changed_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT clock_timestamp(), "scored_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "pk_risk_merchant_days" PRIMARY KEY ("merchant_id", "business_day"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_risk_merchant_days_category" ON "risk_merchant_days" ("category_code", "business_day")`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_risk_merchant_days_unscored" ON "risk_merchant_days" ("changed_at") WHERE "scored_at" IS NULL OR "scored_at" < "changed_at"`,
    );
    await queryRunner.query(
      `CREATE TABLE "risk_category_days" ("category_code" text NOT NULL, "business_day" date NOT NULL, "redemptions" integer NOT NULL, "threshold_orders" integer NOT NULL, "band_orders" integer NOT NULL, "quick_redemptions" integer NOT NULL, "night_redemptions" integer NOT NULL, "reversals" integer NOT NULL, CONSTRAINT "pk_risk_category_days" PRIMARY KEY ("category_code", "business_day"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "risk_merchant_windows" ("merchant_id" uuid NOT NULL, "window_start" TIMESTAMP WITH TIME ZONE NOT NULL, "redemptions" integer NOT NULL, CONSTRAINT "pk_risk_merchant_windows" PRIMARY KEY ("merchant_id", "window_start"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "risk_watermarks" ("name" text NOT NULL, "at" TIMESTAMP WITH TIME ZONE NOT NULL, "position" uuid, CONSTRAINT "pk_risk_watermarks" PRIMARY KEY ("name"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "risk_verification_sources" ("id" bigint GENERATED ALWAYS AS IDENTITY NOT NULL, "identity_id" uuid NOT NULL, "resident_id" uuid NOT NULL, "device_hash" character(64), "address_prefix" text, "verified_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "pk_risk_verification_sources" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_risk_verification_sources_at" ON "risk_verification_sources" ("verified_at")`,
    );
    await queryRunner.query(`CREATE TYPE "public"."risk_flag_severity" AS ENUM('low', 'medium', 'high')`);
    await queryRunner.query(
      `CREATE TYPE "public"."risk_flag_status" AS ENUM('open', 'clearing', 'cleared', 'confirmed')`,
    );
    await queryRunner.query(
      `CREATE TABLE "risk_flags" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "rule_code" text NOT NULL, "rule_version" integer NOT NULL, "subject_key" text NOT NULL, "merchant_id" uuid, "county_code" text, "business_day" date, "severity" "public"."risk_flag_severity" NOT NULL, "status" "public"."risk_flag_status" NOT NULL DEFAULT 'open', "summary" text NOT NULL, "evidence" jsonb NOT NULL, "raised_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "proposed_by_id" uuid, "proposed_reason" text, "proposed_at" TIMESTAMP WITH TIME ZONE, "decided_by_id" uuid, "decided_reason" text, "decided_at" TIMESTAMP WITH TIME ZONE, "merchant_suspended" boolean NOT NULL DEFAULT false, CONSTRAINT "uq_risk_flags_subject" UNIQUE ("rule_code", "subject_key"), CONSTRAINT "ck_risk_flags_checker" CHECK ("decided_by_id" IS NULL OR "proposed_by_id" IS NULL OR "status" <> 'cleared' OR "decided_by_id" <> "proposed_by_id"), CONSTRAINT "ck_risk_flags_clearing" CHECK ("status" NOT IN ('clearing', 'cleared') OR "proposed_by_id" IS NOT NULL), CONSTRAINT "pk_risk_flags" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_risk_flags_merchant" ON "risk_flags" ("merchant_id", "severity", "status")`,
    );
    await queryRunner.query(`CREATE INDEX "ix_risk_flags_raised" ON "risk_flags" ("raised_at")`);
    // Version 1 of each rule; the bureau changes them through PUT /risk/rules/{code}, each change a new version.
    await queryRunner.query(
      `INSERT INTO "risk_rules" ("code", "version", "parameters", "reason") VALUES
        ('threshold_band', 1, '{"minOrders": 40, "minLift": 0.05, "zMedium": 4, "zHigh": 6, "overdispersion": 0.01}', 'initial'),
        ('burst', 1, '{"minWindowRedemptions": 15, "openWindows": 144, "peakFactor": 3, "log10pMedium": -6, "log10pHigh": -10, "minNightRedemptions": 6, "nightZMedium": 4, "nightZHigh": 6, "overdispersion": 0.01}', 'initial'),
        ('claim_collusion', 1, '{"minRedemptions": 30, "minLift": 0.15, "zMedium": 4, "zHigh": 6, "minExclusiveShare": 0.6, "overdispersion": 0.01}', 'initial'),
        ('identity_farm', 1, '{"windowMinutes": 60, "deviceIdentitiesMedium": 5, "deviceIdentitiesHigh": 10, "addressIdentitiesLow": 30}', 'initial'),
        ('reversals', 1, '{"minRedemptions": 30, "minLift": 0.05, "zMedium": 4, "zHigh": 6, "reboundsMedium": 2, "reboundsHigh": 3, "overdispersion": 0.01}', 'initial')`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "risk_flags"`);
    await queryRunner.query(`DROP TYPE "public"."risk_flag_status"`);
    await queryRunner.query(`DROP TYPE "public"."risk_flag_severity"`);
    await queryRunner.query(`DROP TABLE "risk_verification_sources"`);
    await queryRunner.query(`DROP TABLE "risk_watermarks"`);
    await queryRunner.query(`DROP TABLE "risk_merchant_windows"`);
    await queryRunner.query(`DROP TABLE "risk_category_days"`);
    await queryRunner.query(`DROP TABLE "risk_merchant_days"`);
    await queryRunner.query(`DROP TABLE "risk_folded_events"`);
    await queryRunner.query(`DROP TABLE "risk_rules"`);
  }
}
