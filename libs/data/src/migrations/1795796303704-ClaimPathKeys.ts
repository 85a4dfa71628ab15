import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The claim statement writes a claim and its vouchers per resident: drop what it paid for without need.
 * The foreign keys to residents and identities each locked (and dirtied) a parent row per claim and per
 * voucher; ix_claims_resident_round duplicated the lead column of uq_claims_idempotency (resident).
 * Each step waits at most 5 s for its table locks rather than queueing logins and claims behind it.
 */
export class ClaimPathKeys1795796303704 implements MigrationInterface {
  name = 'ClaimPathKeys1795796303704';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`SET LOCAL lock_timeout = '5s'`);
    await queryRunner.query(`ALTER TABLE "claims" DROP CONSTRAINT "FK_8642f690028b0dd2173dde4be2b"`);
    await queryRunner.query(`ALTER TABLE "claims" DROP CONSTRAINT "FK_59c5df8c8c430dbee593d5b248f"`);
    await queryRunner.query(`ALTER TABLE "vouchers" DROP CONSTRAINT "FK_dd7b41a94be9c53edbdfbd1a89f"`);
    await queryRunner.query(`DROP INDEX "public"."ix_claims_resident_round"`);
  }

  /** The keys come back NOT VALID first, so the check of existing rows does not hold the write locks. */
  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`SET LOCAL lock_timeout = '5s'`);
    await queryRunner.query(
      `CREATE INDEX "ix_claims_resident_round" ON "claims" USING btree ("resident_id", "round_id") `,
    );
    await queryRunner.query(
      `ALTER TABLE "vouchers" ADD CONSTRAINT "FK_dd7b41a94be9c53edbdfbd1a89f" FOREIGN KEY ("resident_id") REFERENCES "residents"("id") ON DELETE RESTRICT ON UPDATE NO ACTION NOT VALID`,
    );
    await queryRunner.query(
      `ALTER TABLE "claims" ADD CONSTRAINT "FK_59c5df8c8c430dbee593d5b248f" FOREIGN KEY ("identity_id") REFERENCES "identities"("id") ON DELETE RESTRICT ON UPDATE NO ACTION NOT VALID`,
    );
    await queryRunner.query(
      `ALTER TABLE "claims" ADD CONSTRAINT "FK_8642f690028b0dd2173dde4be2b" FOREIGN KEY ("resident_id") REFERENCES "residents"("id") ON DELETE RESTRICT ON UPDATE NO ACTION NOT VALID`,
    );
    for (const [table, key] of [
      ['vouchers', 'FK_dd7b41a94be9c53edbdfbd1a89f'],
      ['claims', 'FK_59c5df8c8c430dbee593d5b248f'],
      ['claims', 'FK_8642f690028b0dd2173dde4be2b'],
    ]) {
      await queryRunner.query(`ALTER TABLE "${table}" VALIDATE CONSTRAINT "${key}"`);
    }
  }
}
