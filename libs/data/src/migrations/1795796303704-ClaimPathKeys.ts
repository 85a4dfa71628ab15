import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The claim statement writes a claim and its vouchers per resident: drop what it paid for without need.
 * The foreign keys to residents and identities each locked (and dirtied) a parent row per claim; the two
 * indexes duplicated the lead column of uq_claims_idempotency and ix_vouchers_resident.
 */
export class ClaimPathKeys1795796303704 implements MigrationInterface {
  name = 'ClaimPathKeys1795796303704';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "claims" DROP CONSTRAINT "FK_8642f690028b0dd2173dde4be2b"`);
    await queryRunner.query(`ALTER TABLE "claims" DROP CONSTRAINT "FK_59c5df8c8c430dbee593d5b248f"`);
    await queryRunner.query(`ALTER TABLE "vouchers" DROP CONSTRAINT "FK_dd7b41a94be9c53edbdfbd1a89f"`);
    await queryRunner.query(`DROP INDEX "public"."ix_claims_resident_round"`);
    await queryRunner.query(`DROP INDEX "public"."ix_vouchers_claim"`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX "ix_vouchers_claim" ON "vouchers" USING btree ("claim_id") `);
    await queryRunner.query(`CREATE INDEX "ix_claims_resident_round" ON "claims" USING btree ("resident_id", "round_id") `);
    await queryRunner.query(`ALTER TABLE "vouchers" ADD CONSTRAINT "FK_dd7b41a94be9c53edbdfbd1a89f" FOREIGN KEY ("resident_id") REFERENCES "residents"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "claims" ADD CONSTRAINT "FK_59c5df8c8c430dbee593d5b248f" FOREIGN KEY ("identity_id") REFERENCES "identities"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "claims" ADD CONSTRAINT "FK_8642f690028b0dd2173dde4be2b" FOREIGN KEY ("resident_id") REFERENCES "residents"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
  }
}
