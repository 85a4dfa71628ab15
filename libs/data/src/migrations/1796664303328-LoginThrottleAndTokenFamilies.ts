import { MigrationInterface, QueryRunner } from 'typeorm';

export class LoginThrottleAndTokenFamilies1796664303328 implements MigrationInterface {
  name = 'LoginThrottleAndTokenFamilies1796664303328';

  /** Staff accounts are no longer locked by failed logins (LoginThrottle in Redis); refresh tokens form session families. */
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "staff_accounts" DROP COLUMN "failed_logins"`);
    await queryRunner.query(`ALTER TABLE "staff_accounts" DROP COLUMN "locked_until"`);
    // A token issued before families existed starts a family of its own.
    await queryRunner.query(`ALTER TABLE "refresh_tokens" ADD "family_id" uuid`);
    await queryRunner.query(`UPDATE "refresh_tokens" SET "family_id" = "id"`);
    await queryRunner.query(`ALTER TABLE "refresh_tokens" ALTER COLUMN "family_id" SET NOT NULL`);
    await queryRunner.query(`CREATE INDEX "ix_refresh_tokens_family" ON "refresh_tokens"  ("family_id") `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."ix_refresh_tokens_family"`);
    await queryRunner.query(`ALTER TABLE "refresh_tokens" DROP COLUMN "family_id"`);
    await queryRunner.query(`ALTER TABLE "staff_accounts" ADD "locked_until" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(`ALTER TABLE "staff_accounts" ADD "failed_logins" integer NOT NULL DEFAULT '0'`);
  }
}
