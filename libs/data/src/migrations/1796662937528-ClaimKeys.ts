import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Idempotency-Keys answered with a claim made under another key (a resident at their limit gets their
 * first claim back): recorded in Postgres, so the answer outlives Redis (ClaimKey).
 */
export class ClaimKeys1796662937528 implements MigrationInterface {
  name = 'ClaimKeys1796662937528';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "claim_keys" ("resident_id" uuid NOT NULL, "idempotency_key" text NOT NULL, "claim_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_16b2b0a3ba7590ea37c791c78db" PRIMARY KEY ("resident_id", "idempotency_key"))`,
    );
    await queryRunner.query(
      `ALTER TABLE "claim_keys" ADD CONSTRAINT "FK_9f1d351372f2e605384a4ade65d" FOREIGN KEY ("claim_id") REFERENCES "claims"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "claim_keys" DROP CONSTRAINT "FK_9f1d351372f2e605384a4ade65d"`);
    await queryRunner.query(`DROP TABLE "claim_keys"`);
  }
}
