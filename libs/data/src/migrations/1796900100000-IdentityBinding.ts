import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Identity verification in one round trip. The phones of a person are counted through an index (they were
 * counted by a scan of every resident), and bind_identity does what the verification's transaction did in
 * five statements: it upserts the person (whose row lock orders two phones binding to one person), locks the
 * account, counts the person's other phones and binds the account when it is the person's first. A plpgsql
 * function takes a fresh snapshot per statement, so the count sees a binding committed while it waited for
 * the person's lock, as the separate statements did. A phone joining a person who already has one is
 * answered `shared` unbound: that binding is audited, and takes the audited transaction.
 */
export class IdentityBinding1796900100000 implements MigrationInterface {
  name = 'IdentityBinding1796900100000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX "ix_residents_identity" ON "residents" ("identity_id")`);
    await queryRunner.query(`
      CREATE FUNCTION bind_identity(p_resident uuid, p_id_number_hash text, p_name_masked text,
                                    OUT identity_id uuid, OUT other_phones int, OUT outcome text)
      LANGUAGE plpgsql AS $$
      DECLARE
        bound uuid;
      BEGIN
        INSERT INTO identities (id_number_hash, name_masked) VALUES (p_id_number_hash, p_name_masked)
          ON CONFLICT (id_number_hash) DO UPDATE SET id_number_hash = EXCLUDED.id_number_hash
          RETURNING id INTO identity_id;
        SELECT r.identity_id INTO bound FROM residents r WHERE r.id = p_resident FOR UPDATE;
        IF NOT FOUND THEN
          outcome := 'missing';
          RETURN;
        END IF;
        IF bound IS NOT NULL AND bound <> identity_id THEN
          outcome := 'other';
          RETURN;
        END IF;
        SELECT count(*) INTO other_phones FROM residents r WHERE r.identity_id = bind_identity.identity_id;
        IF bound IS NOT NULL THEN
          other_phones := other_phones - 1;
          outcome := 'already';
        ELSIF other_phones > 0 THEN
          outcome := 'shared';
        ELSE
          UPDATE residents SET identity_id = bind_identity.identity_id WHERE id = p_resident;
          outcome := 'bound';
        END IF;
      END $$`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP FUNCTION bind_identity(uuid, text, text)`);
    await queryRunner.query(`DROP INDEX "ix_residents_identity"`);
  }
}
