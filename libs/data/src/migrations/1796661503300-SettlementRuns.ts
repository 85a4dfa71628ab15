import { MigrationInterface, QueryRunner } from 'typeorm';

/** Runs of a past day's settlement, or of the reconciliation, that finance asks for through the API. */
export class SettlementRuns1796661503300 implements MigrationInterface {
  name = 'SettlementRuns1796661503300';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TYPE "public"."settlement_run_kind" AS ENUM('settle_day', 'reconciliation')`);
    await queryRunner.query(
      `CREATE TYPE "public"."settlement_run_status" AS ENUM('queued', 'running', 'succeeded', 'failed')`,
    );
    await queryRunner.query(
      `CREATE TABLE "settlement_runs" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "kind" "public"."settlement_run_kind" NOT NULL, "business_day" date, "subject" text NOT NULL, "status" "public"."settlement_run_status" NOT NULL DEFAULT 'queued', "requested_by_id" uuid NOT NULL, "requested_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "started_at" TIMESTAMP WITH TIME ZONE, "finished_at" TIMESTAMP WITH TIME ZONE, "outcome" jsonb, "error" text, CONSTRAINT "ck_settlement_runs_day" CHECK (("kind" = 'settle_day') = ("business_day" IS NOT NULL)), CONSTRAINT "PK_8f6ed8b9e1f399dd30ce2e39745" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_settlement_runs_active" ON "settlement_runs"  ("subject") WHERE "status" IN ('queued', 'running')`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."uq_settlement_runs_active"`);
    await queryRunner.query(`DROP TABLE "settlement_runs"`);
    await queryRunner.query(`DROP TYPE "public"."settlement_run_status"`);
    await queryRunner.query(`DROP TYPE "public"."settlement_run_kind"`);
  }
}
