import { MigrationInterface, QueryRunner } from 'typeorm';

const TRANSITIONS = (
  extra: string,
) => `CREATE OR REPLACE FUNCTION "vouchers_transition"() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF (NEW.status IS DISTINCT FROM OLD.status AND NOT (
             (OLD.status = 'claimed' AND NEW.status IN ('redeemed', 'expired', 'revoked'))
          OR (OLD.status = 'redeemed' AND NEW.status = 'claimed')))${extra} THEN
          RAISE EXCEPTION 'voucher % cannot go from % to %', OLD.id, OLD.status, NEW.status
            USING ERRCODE = 'check_violation', CONSTRAINT = 'ck_vouchers_transition';
        END IF;
        RETURN NEW;
      END $$`;

/** A voucher set to redeemed must have been claimed: redeemed → redeemed is refused too, not passed as no change. */
export class VoucherRedeemedOnce1795786000000 implements MigrationInterface {
  name = 'VoucherRedeemedOnce1795786000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(TRANSITIONS(` OR (OLD.status = 'redeemed' AND NEW.status = 'redeemed')`));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(TRANSITIONS(''));
  }
}
