import { MigrationInterface, QueryRunner } from 'typeorm';

export class Settlement1795781672346 implements MigrationInterface {
  name = 'Settlement1795781672346';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TYPE "public"."statement_status" AS ENUM('open', 'submitted', 'approved')`);
    await queryRunner.query(
      `CREATE TABLE "settlement_statements" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "merchant_id" uuid NOT NULL, "business_day" date NOT NULL, "status" "public"."statement_status" NOT NULL DEFAULT 'open', "total_fen" bigint NOT NULL DEFAULT '0', "redemption_count" integer NOT NULL DEFAULT '0', "adjustment_count" integer NOT NULL DEFAULT '0', "generated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "submitted_by_id" uuid, "submitted_at" TIMESTAMP WITH TIME ZONE, "approved_by_id" uuid, "approved_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "ck_settlement_statements_counts" CHECK ("redemption_count" >= 0 AND "adjustment_count" >= 0), CONSTRAINT "ck_settlement_statements_status" CHECK (("status" = 'open') = ("submitted_by_id" IS NULL) AND ("status" = 'approved') = ("approved_by_id" IS NOT NULL)), CONSTRAINT "ck_settlement_statements_checker" CHECK ("approved_by_id" IS NULL OR "approved_by_id" <> "submitted_by_id"), CONSTRAINT "PK_e4603ed0ad0d945f912d59851ae" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_settlement_statements_day" ON "settlement_statements"  ("business_day", "status") `,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_settlement_statements_merchant_day" ON "settlement_statements"  ("merchant_id", "business_day") `,
    );
    await queryRunner.query(`CREATE TYPE "public"."settlement_line_kind" AS ENUM('redemption', 'adjustment')`);
    await queryRunner.query(
      `CREATE TABLE "settlement_lines" ("redemption_id" uuid NOT NULL, "kind" "public"."settlement_line_kind" NOT NULL, "statement_id" uuid NOT NULL, "amount_fen" bigint NOT NULL, "redemption_day" date NOT NULL, CONSTRAINT "ck_settlement_lines_sign" CHECK (("kind" = 'redemption') = ("amount_fen" >= 0)), CONSTRAINT "PK_90f0713fce3dcb8e6fb5a103462" PRIMARY KEY ("redemption_id", "kind"))`,
    );
    await queryRunner.query(`CREATE INDEX "ix_settlement_lines_statement" ON "settlement_lines"  ("statement_id") `);
    await queryRunner.query(
      `CREATE TABLE "payout_batches" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "created_by_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_aa57cb1e16d39cc0d41083145e4" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE TYPE "public"."payout_status" AS ENUM('pending', 'paid', 'failed')`);
    await queryRunner.query(
      `CREATE TABLE "payout_transfers" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "batch_id" uuid NOT NULL, "merchant_id" uuid NOT NULL, "amount_fen" bigint NOT NULL, "reference" text NOT NULL, "status" "public"."payout_status" NOT NULL DEFAULT 'pending', "marked_by_id" uuid, "marked_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "UQ_66b141c7ace0c6a06075f3d3e62" UNIQUE ("reference"), CONSTRAINT "ck_payout_transfers_marked" CHECK (("status" = 'pending') = ("marked_by_id" IS NULL)), CONSTRAINT "ck_payout_transfers_amount" CHECK ("amount_fen" > 0), CONSTRAINT "PK_70fa9f7afa0654817503692ee01" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "ix_payout_transfers_batch" ON "payout_transfers"  ("batch_id") `);
    await queryRunner.query(
      `CREATE TABLE "payout_items" ("statement_id" uuid NOT NULL, "transfer_id" uuid NOT NULL, "amount_fen" bigint NOT NULL, "status" "public"."payout_status" NOT NULL DEFAULT 'pending', CONSTRAINT "PK_85b32226a1fd974eddbbcc63f86" PRIMARY KEY ("statement_id", "transfer_id"))`,
    );
    await queryRunner.query(`CREATE INDEX "ix_payout_items_transfer" ON "payout_items"  ("transfer_id") `);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_payout_items_live" ON "payout_items"  ("statement_id") WHERE "status" <> 'failed'`,
    );
    await queryRunner.query(
      `CREATE TABLE "settled_days" ("business_day" date NOT NULL, "settled_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_8847ef3587c8f888058fca23362" PRIMARY KEY ("business_day"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "reconciliation_reports" ("id" bigint GENERATED ALWAYS AS IDENTITY NOT NULL, "ran_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "ok" boolean NOT NULL, "figures" jsonb NOT NULL, "differences" jsonb NOT NULL, CONSTRAINT "PK_12ad01f5998711edaac25681bf4" PRIMARY KEY ("id"))`,
    );
    // Lines are append-only and go only into open statements (checked once per statement, not per row, so a
    // day of a million lines pays one lookup per statement; FOR SHARE makes a concurrent submit wait).
    await queryRunner.query(`CREATE FUNCTION "settlement_lines_into_open"() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF (SELECT bool_or("status" <> 'open') FROM (SELECT "status" FROM "settlement_statements"
              WHERE "id" IN (SELECT DISTINCT "statement_id" FROM new_lines) FOR SHARE) AS locked) THEN
          RAISE EXCEPTION 'settlement lines can only be added to open statements'
            USING ERRCODE = 'check_violation', CONSTRAINT = 'ck_settlement_lines_open';
        END IF;
        RETURN NULL;
      END $$`);
    await queryRunner.query(
      `CREATE TRIGGER "tr_settlement_lines_open" AFTER INSERT ON "settlement_lines" REFERENCING NEW TABLE AS new_lines FOR EACH STATEMENT EXECUTE FUNCTION "settlement_lines_into_open"()`,
    );
    await queryRunner.query(`CREATE FUNCTION "settlement_lines_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'settlement lines are never changed or removed; a reversal is an adjustment line'
          USING ERRCODE = 'check_violation', CONSTRAINT = 'ck_settlement_lines_append_only';
      END $$`);
    await queryRunner.query(
      `CREATE TRIGGER "tr_settlement_lines_append_only" BEFORE UPDATE OR DELETE OR TRUNCATE ON "settlement_lines" FOR EACH STATEMENT EXECUTE FUNCTION "settlement_lines_append_only"()`,
    );
    // A statement is submitted only with totals equal to its lines; once submitted its totals are fixed,
    // once approved nothing about it changes, and it is never deleted.
    await queryRunner.query(`CREATE FUNCTION "settlement_statements_final"() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        sums record;
      BEGIN
        IF TG_OP = 'DELETE' OR OLD."status" = 'approved' THEN
          RAISE EXCEPTION 'settlement statement % is final', OLD."id"
            USING ERRCODE = 'check_violation', CONSTRAINT = 'ck_settlement_statements_final';
        END IF;
        IF OLD."status" <> 'open' AND (NEW."total_fen", NEW."redemption_count", NEW."adjustment_count")
             IS DISTINCT FROM (OLD."total_fen", OLD."redemption_count", OLD."adjustment_count") THEN
          RAISE EXCEPTION 'the totals of submitted statement % are fixed', OLD."id"
            USING ERRCODE = 'check_violation', CONSTRAINT = 'ck_settlement_statements_final';
        END IF;
        IF OLD."status" = 'open' AND NEW."status" <> 'open' THEN
          SELECT coalesce(sum("amount_fen"), 0) AS total, count(*) FILTER (WHERE "kind" = 'redemption') AS redemptions,
                 count(*) FILTER (WHERE "kind" = 'adjustment') AS adjustments
            INTO sums FROM "settlement_lines" WHERE "statement_id" = NEW."id";
          IF (sums.total, sums.redemptions, sums.adjustments) IS DISTINCT FROM (NEW."total_fen", NEW."redemption_count"::bigint, NEW."adjustment_count"::bigint) THEN
            RAISE EXCEPTION 'statement % does not add up to its lines', NEW."id"
              USING ERRCODE = 'check_violation', CONSTRAINT = 'ck_settlement_statements_totals';
          END IF;
        END IF;
        RETURN NEW;
      END $$`);
    await queryRunner.query(
      `CREATE TRIGGER "tr_settlement_statements_final" BEFORE UPDATE OR DELETE ON "settlement_statements" FOR EACH ROW EXECUTE FUNCTION "settlement_statements_final"()`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER "tr_settlement_statements_final" ON "settlement_statements"`);
    await queryRunner.query(`DROP FUNCTION "settlement_statements_final"()`);
    await queryRunner.query(`DROP TRIGGER "tr_settlement_lines_append_only" ON "settlement_lines"`);
    await queryRunner.query(`DROP FUNCTION "settlement_lines_append_only"()`);
    await queryRunner.query(`DROP TRIGGER "tr_settlement_lines_open" ON "settlement_lines"`);
    await queryRunner.query(`DROP FUNCTION "settlement_lines_into_open"()`);
    await queryRunner.query(`DROP TABLE "reconciliation_reports"`);
    await queryRunner.query(`DROP TABLE "settled_days"`);
    await queryRunner.query(`DROP INDEX "public"."uq_payout_items_live"`);
    await queryRunner.query(`DROP INDEX "public"."ix_payout_items_transfer"`);
    await queryRunner.query(`DROP TABLE "payout_items"`);
    await queryRunner.query(`DROP INDEX "public"."ix_payout_transfers_batch"`);
    await queryRunner.query(`DROP TABLE "payout_transfers"`);
    await queryRunner.query(`DROP TYPE "public"."payout_status"`);
    await queryRunner.query(`DROP TABLE "payout_batches"`);
    await queryRunner.query(`DROP INDEX "public"."ix_settlement_lines_statement"`);
    await queryRunner.query(`DROP TABLE "settlement_lines"`);
    await queryRunner.query(`DROP TYPE "public"."settlement_line_kind"`);
    await queryRunner.query(`DROP INDEX "public"."uq_settlement_statements_merchant_day"`);
    await queryRunner.query(`DROP INDEX "public"."ix_settlement_statements_day"`);
    await queryRunner.query(`DROP TABLE "settlement_statements"`);
    await queryRunner.query(`DROP TYPE "public"."statement_status"`);
  }
}
