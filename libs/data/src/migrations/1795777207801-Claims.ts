import { MigrationInterface, QueryRunner } from 'typeorm';

export class Claims1795777207801 implements MigrationInterface {
  name = 'Claims1795777207801';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "identities" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "id_number_hash" character(64) NOT NULL, "name_masked" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "UQ_87d79f8ff9f314031e31ce65756" UNIQUE ("id_number_hash"), CONSTRAINT "PK_7b2f8cccf4ac6a2d7e6e9e8b1f6" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "residents" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "phone_hash" character(64) NOT NULL, "phone_masked" text NOT NULL, "identity_id" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "UQ_7ebb3550ce280be06b482a61a2b" UNIQUE ("phone_hash"), CONSTRAINT "PK_4c8d0413ee0e9a4ebbf500f7365" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "claims" ("id" uuid NOT NULL, "campaign_id" uuid NOT NULL, "round_id" uuid NOT NULL, "offer_id" uuid NOT NULL, "resident_id" uuid NOT NULL, "identity_id" uuid NOT NULL, "person_seq" integer NOT NULL, "idempotency_key" text, "claimed_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "uq_claims_idempotency" UNIQUE ("resident_id", "idempotency_key"), CONSTRAINT "uq_claims_person_seq" UNIQUE ("campaign_id", "identity_id", "person_seq"), CONSTRAINT "ck_claims_person_seq" CHECK ("person_seq" >= 1), CONSTRAINT "PK_96c91970c0dcb2f69fdccd0a698" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "ix_claims_resident_round" ON "claims"  ("resident_id", "round_id") `);
    await queryRunner.query(
      `CREATE TYPE "public"."voucher_status" AS ENUM('claimed', 'redeemed', 'expired', 'revoked')`,
    );
    await queryRunner.query(
      `CREATE TABLE "vouchers" ("id" uuid NOT NULL, "claim_id" uuid NOT NULL, "campaign_id" uuid NOT NULL, "voucher_type_id" uuid NOT NULL, "resident_id" uuid NOT NULL, "short_code" text NOT NULL, "status" "public"."voucher_status" NOT NULL DEFAULT 'claimed', "valid_from" TIMESTAMP WITH TIME ZONE NOT NULL, "valid_until" TIMESTAMP WITH TIME ZONE NOT NULL, "claimed_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "UQ_baff8a8cb0d3e3fd37703188c9f" UNIQUE ("short_code"), CONSTRAINT "PK_ed1b7dd909a696560763acdbc04" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "ix_vouchers_claim" ON "vouchers"  ("claim_id") `);
    await queryRunner.query(`CREATE INDEX "ix_vouchers_resident" ON "vouchers"  ("resident_id", "claimed_at") `);
    await queryRunner.query(`ALTER TABLE "round_offers" ADD "issued" integer NOT NULL DEFAULT '0'`);
    await queryRunner.query(
      `ALTER TABLE "round_offers" ADD CONSTRAINT "ck_round_offers_issued" CHECK ("issued" >= 0 AND "issued" <= "stock")`,
    );
    await queryRunner.query(
      `ALTER TABLE "residents" ADD CONSTRAINT "FK_a6ccf07cb29b5df111c348f46d4" FOREIGN KEY ("identity_id") REFERENCES "identities"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "claims" ADD CONSTRAINT "FK_8642f690028b0dd2173dde4be2b" FOREIGN KEY ("resident_id") REFERENCES "residents"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "claims" ADD CONSTRAINT "FK_59c5df8c8c430dbee593d5b248f" FOREIGN KEY ("identity_id") REFERENCES "identities"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "vouchers" ADD CONSTRAINT "FK_79aa729999b32e380d108f7d4ff" FOREIGN KEY ("claim_id") REFERENCES "claims"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "vouchers" ADD CONSTRAINT "FK_dd7b41a94be9c53edbdfbd1a89f" FOREIGN KEY ("resident_id") REFERENCES "residents"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "vouchers" DROP CONSTRAINT "FK_dd7b41a94be9c53edbdfbd1a89f"`);
    await queryRunner.query(`ALTER TABLE "vouchers" DROP CONSTRAINT "FK_79aa729999b32e380d108f7d4ff"`);
    await queryRunner.query(`ALTER TABLE "claims" DROP CONSTRAINT "FK_59c5df8c8c430dbee593d5b248f"`);
    await queryRunner.query(`ALTER TABLE "claims" DROP CONSTRAINT "FK_8642f690028b0dd2173dde4be2b"`);
    await queryRunner.query(`ALTER TABLE "residents" DROP CONSTRAINT "FK_a6ccf07cb29b5df111c348f46d4"`);
    await queryRunner.query(`ALTER TABLE "round_offers" DROP CONSTRAINT "ck_round_offers_issued"`);
    await queryRunner.query(`ALTER TABLE "round_offers" DROP COLUMN "issued"`);
    await queryRunner.query(`DROP INDEX "public"."ix_vouchers_resident"`);
    await queryRunner.query(`DROP INDEX "public"."ix_vouchers_claim"`);
    await queryRunner.query(`DROP TABLE "vouchers"`);
    await queryRunner.query(`DROP TYPE "public"."voucher_status"`);
    await queryRunner.query(`DROP INDEX "public"."ix_claims_resident_round"`);
    await queryRunner.query(`DROP TABLE "claims"`);
    await queryRunner.query(`DROP TABLE "residents"`);
    await queryRunner.query(`DROP TABLE "identities"`);
  }
}
