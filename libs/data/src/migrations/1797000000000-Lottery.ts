import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Lottery rounds (摇号): each round's committed seed and draw, the registrations, and the winners by rank
 * (docs/lottery.md).
 */
export class Lottery1797000000000 implements MigrationInterface {
  name = 'Lottery1797000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "lottery_draws" ("round_id" uuid NOT NULL, "campaign_id" uuid NOT NULL, "seed" character(64) NOT NULL, "commitment" character(64) NOT NULL, "committed_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "merkle_root" character(64), "entries" integer, "stock" integer, "drawn_at" TIMESTAMP WITH TIME ZONE, "issued_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "ck_lottery_draws_drawn" CHECK (("merkle_root" IS NULL) = ("drawn_at" IS NULL) AND ("issued_at" IS NULL OR "drawn_at" IS NOT NULL)), CONSTRAINT "PK_61e0f1614a4eec81ca593ae5599" PRIMARY KEY ("round_id"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "lottery_registrations" ("id" uuid NOT NULL, "round_id" uuid NOT NULL, "campaign_id" uuid NOT NULL, "resident_id" uuid NOT NULL, "identity_id" uuid NOT NULL, "salt" character(32) NOT NULL, "entry" character(64) NOT NULL, "idempotency_key" text, "registered_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "uq_lottery_registrations_idempotency" UNIQUE ("resident_id", "idempotency_key"), CONSTRAINT "uq_lottery_registrations_entry" UNIQUE ("round_id", "entry"), CONSTRAINT "uq_lottery_registrations_identity" UNIQUE ("round_id", "identity_id"), CONSTRAINT "PK_58fb67634d5df210dbf8fda843d" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "lottery_winners" ("round_id" uuid NOT NULL, "rank" integer NOT NULL, "registration_id" uuid NOT NULL, "entry" character(64) NOT NULL, "offer_id" uuid, "claim_id" uuid, "outcome" text, CONSTRAINT "uq_lottery_winners_registration" UNIQUE ("registration_id"), CONSTRAINT "ck_lottery_winners_outcome" CHECK ("outcome" IS NULL OR "outcome" IN ('issued', 'limit')), CONSTRAINT "PK_5bdfc7bc74781840399ff56105e" PRIMARY KEY ("round_id", "rank"))`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "lottery_winners"`);
    await queryRunner.query(`DROP TABLE "lottery_registrations"`);
    await queryRunner.query(`DROP TABLE "lottery_draws"`);
  }
}
