import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Merchants' bank account numbers and contact phones sealed at rest. The account number column is renamed
 * and its masked form kept beside it; the values themselves are sealed right after the migrations by
 * `migrateDatabase` (AES-GCM needs the configured keys, which SQL does not have), so no clear value
 * survives a migrate.
 */
export class SealedMerchantData1796900000000 implements MigrationInterface {
  name = 'SealedMerchantData1796900000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "merchants" RENAME COLUMN "bank_account_no" TO "bank_account_sealed"`);
    await queryRunner.query(`ALTER TABLE "merchants" ADD "bank_account_masked" text`);
    await queryRunner.query(
      `UPDATE "merchants" SET "bank_account_masked" = repeat('*', greatest(length("bank_account_sealed") - 4, 0)) || right("bank_account_sealed", 4)`,
    );
    await queryRunner.query(`ALTER TABLE "merchants" ALTER COLUMN "bank_account_masked" SET NOT NULL`);
    await queryRunner.query(`ALTER TABLE "merchants" ADD "contact_phone_sealed" text`);
    await queryRunner.query(`ALTER TABLE "merchants" ADD "contact_phone_masked" text`);
  }

  /** Only the schema goes back: sealed values stay sealed, and reverting them needs the keys (open them first). */
  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "merchants" DROP COLUMN "contact_phone_masked"`);
    await queryRunner.query(`ALTER TABLE "merchants" DROP COLUMN "contact_phone_sealed"`);
    await queryRunner.query(`ALTER TABLE "merchants" DROP COLUMN "bank_account_masked"`);
    await queryRunner.query(`ALTER TABLE "merchants" RENAME COLUMN "bank_account_sealed" TO "bank_account_no"`);
  }
}
