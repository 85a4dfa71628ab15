import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Assisted claims (代领 / 助老): the community_agent role, bound to a county like a county admin; resident
 * accounts without a phone (registered by an agent); the assisted residents with their consent; and the
 * agents' daily service records and quota counters (docs/assisted-claims.md). The county binding compares the
 * role as text: a value added to an enum cannot be used as that enum in the transaction that adds it.
 */
export class AssistedClaims1797001000000 implements MigrationInterface {
  name = 'AssistedClaims1797001000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TYPE "public"."consent_given_by" AS ENUM('resident', 'guardian', 'family_member')`);
    await queryRunner.query(
      `CREATE TYPE "public"."consent_method" AS ENUM('signed_form', 'fingerprint', 'verbal_witnessed')`,
    );
    await queryRunner.query(
      `CREATE TABLE "assisted_residents" ("resident_id" uuid NOT NULL, "county_code" text NOT NULL, "registered_by_id" uuid NOT NULL, "consent_given_by" "public"."consent_given_by" NOT NULL, "consent_method" "public"."consent_method" NOT NULL, "consent_at" TIMESTAMP WITH TIME ZONE NOT NULL, "registered_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_66a0a511a74423fa6cda302ebc1" PRIMARY KEY ("resident_id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_assisted_residents_county" ON "assisted_residents"  ("county_code", "registered_at") `,
    );
    await queryRunner.query(
      `CREATE TABLE "agent_services" ("agent_id" uuid NOT NULL, "business_day" date NOT NULL, "resident_id" uuid NOT NULL, "first_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "last_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_49509a7293f9bb588b2b5ece73e" PRIMARY KEY ("agent_id", "business_day", "resident_id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_agent_services_resident" ON "agent_services"  ("resident_id", "business_day") `,
    );
    await queryRunner.query(
      `CREATE TABLE "agent_daily_usage" ("agent_id" uuid NOT NULL, "business_day" date NOT NULL, "residents" integer NOT NULL, CONSTRAINT "ck_agent_daily_usage_residents" CHECK ("residents" >= 0), CONSTRAINT "PK_870960bd298c1b9341c19e3ad8c" PRIMARY KEY ("agent_id", "business_day"))`,
    );
    await queryRunner.query(`ALTER TYPE "public"."staff_role" ADD VALUE 'community_agent'`);
    await queryRunner.query(`ALTER TABLE "residents" ALTER COLUMN "phone_hash" DROP NOT NULL`);
    await queryRunner.query(`ALTER TABLE "residents" ALTER COLUMN "phone_masked" DROP NOT NULL`);
    await queryRunner.query(`ALTER TABLE "staff_accounts" DROP CONSTRAINT "ck_staff_accounts_county_binding"`);
    await queryRunner.query(
      `ALTER TABLE "staff_accounts" ADD CONSTRAINT "ck_staff_accounts_county_binding" CHECK (("role"::text IN ('county_admin', 'community_agent')) = ("county_code" IS NOT NULL))`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DELETE FROM "staff_accounts" WHERE "role" = 'community_agent'`);
    await queryRunner.query(`DELETE FROM "residents" WHERE "phone_hash" IS NULL`);
    // Both checks compare the role with the enum's values: they go while the column changes type, then return.
    await queryRunner.query(`ALTER TABLE "staff_accounts" DROP CONSTRAINT "ck_staff_accounts_county_binding"`);
    await queryRunner.query(`ALTER TABLE "staff_accounts" DROP CONSTRAINT "ck_staff_accounts_merchant_binding"`);
    await queryRunner.query(`ALTER TABLE "residents" ALTER COLUMN "phone_masked" SET NOT NULL`);
    await queryRunner.query(`ALTER TABLE "residents" ALTER COLUMN "phone_hash" SET NOT NULL`);
    await queryRunner.query(
      `CREATE TYPE "public"."staff_role_old" AS ENUM('city_admin', 'county_admin', 'finance', 'auditor', 'merchant_admin', 'cashier')`,
    );
    await queryRunner.query(
      `ALTER TABLE "staff_accounts" ALTER COLUMN "role" TYPE "public"."staff_role_old" USING "role"::"text"::"public"."staff_role_old"`,
    );
    await queryRunner.query(`DROP TYPE "public"."staff_role"`);
    await queryRunner.query(`ALTER TYPE "public"."staff_role_old" RENAME TO "staff_role"`);
    await queryRunner.query(
      `ALTER TABLE "staff_accounts" ADD CONSTRAINT "ck_staff_accounts_merchant_binding" CHECK (("role" IN ('merchant_admin', 'cashier')) = ("merchant_id" IS NOT NULL))`,
    );
    await queryRunner.query(
      `ALTER TABLE "staff_accounts" ADD CONSTRAINT "ck_staff_accounts_county_binding" CHECK (("role" = 'county_admin') = ("county_code" IS NOT NULL))`,
    );
    await queryRunner.query(`DROP TABLE "agent_daily_usage"`);
    await queryRunner.query(`DROP INDEX "public"."ix_agent_services_resident"`);
    await queryRunner.query(`DROP TABLE "agent_services"`);
    await queryRunner.query(`DROP INDEX "public"."ix_assisted_residents_county"`);
    await queryRunner.query(`DROP TABLE "assisted_residents"`);
    await queryRunner.query(`DROP TYPE "public"."consent_method"`);
    await queryRunner.query(`DROP TYPE "public"."consent_given_by"`);
  }
}
