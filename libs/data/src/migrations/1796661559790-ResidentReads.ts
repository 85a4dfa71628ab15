import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Indexes for what residents read: a voucher's redemptions (reversed ones too, which the partial
 * uq_redemptions_voucher_active leaves out) and the directory of approved merchants by name. Built
 * CONCURRENTLY, outside a transaction, so redemptions keep being written while the index is built (a
 * build that fails leaves an invalid index behind, which a rerun names instead of skipping). TypeORM
 * reverts inside a transaction whatever the flag says, so `down` drops them plainly.
 */
export class ResidentReads1796661559790 implements MigrationInterface {
  name = 'ResidentReads1796661559790';
  transaction = false;

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE INDEX CONCURRENTLY "ix_merchants_directory" ON "merchants" ("name", "id") WHERE "status" = 'approved'`,
    );
    await queryRunner.query(`CREATE INDEX CONCURRENTLY "ix_redemptions_voucher" ON "redemptions" ("voucher_id")`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."ix_redemptions_voucher"`);
    await queryRunner.query(`DROP INDEX "public"."ix_merchants_directory"`);
  }
}
