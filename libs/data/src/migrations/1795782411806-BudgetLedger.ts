import { MigrationInterface, QueryRunner } from 'typeorm';

export class BudgetLedger1795782411806 implements MigrationInterface {
  name = 'BudgetLedger1795782411806';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "budget_ledger" ("id" bigint GENERATED ALWAYS AS IDENTITY NOT NULL, "campaign_id" uuid NOT NULL, "entry_key" text NOT NULL, "from_account" text NOT NULL, "to_account" text NOT NULL, "amount_fen" bigint NOT NULL, "packs" integer, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "UQ_c1a7e5e6ac60e42532186c59c5f" UNIQUE ("entry_key"), CONSTRAINT "ck_budget_ledger_amounts" CHECK ("amount_fen" >= 0 AND ("packs" IS NULL OR "packs" > 0)), CONSTRAINT "ck_budget_ledger_accounts" CHECK ("from_account" <> "to_account"), CONSTRAINT "PK_014a19f86cec669d0bfc5c4b6a4" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "ix_budget_ledger_campaign" ON "budget_ledger"  ("campaign_id") `);
    // A ledger is corrected by a further entry, never by changing or removing one.
    await queryRunner.query(
      `CREATE FUNCTION "budget_ledger_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'budget_ledger is append-only'; END $$`,
    );
    await queryRunner.query(
      `CREATE TRIGGER "tr_budget_ledger_append_only" BEFORE UPDATE OR DELETE OR TRUNCATE ON "budget_ledger" FOR EACH STATEMENT EXECUTE FUNCTION "budget_ledger_append_only"()`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER "tr_budget_ledger_append_only" ON "budget_ledger"`);
    await queryRunner.query(`DROP FUNCTION "budget_ledger_append_only"()`);
    await queryRunner.query(`DROP INDEX "public"."ix_budget_ledger_campaign"`);
    await queryRunner.query(`DROP TABLE "budget_ledger"`);
  }
}
