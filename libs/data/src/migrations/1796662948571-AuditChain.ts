import { MigrationInterface, QueryRunner } from 'typeorm';
import { AUDIT_GENESIS_HASH, auditEntryHash, readChainPage } from '../audit-chain';

const PAGE = 1000;

/**
 * Makes the audit log a hash chain (libs/data audit-chain.ts). The entries written before it are chained
 * here, oldest first from the genesis hash, so the chain covers the whole log: filling their two new
 * columns is the one UPDATE the append-only trigger ever lets through, with the trigger disabled for this
 * transaction only (ALTER TABLE locks the table, so nothing else writes meanwhile). The head row then
 * names the last of them.
 */
export class AuditChain1796662948571 implements MigrationInterface {
  name = 'AuditChain1796662948571';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "audit_chain_head" ("id" smallint NOT NULL, "last_id" bigint, "hash" text NOT NULL, CONSTRAINT "ck_audit_chain_head_single" CHECK ("id" = 1), CONSTRAINT "PK_9211408bf584034de409b1bbec5" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`ALTER TABLE "audit_log" ADD "prev_hash" text`);
    await queryRunner.query(`ALTER TABLE "audit_log" ADD "hash" text`);
    await queryRunner.query(`ALTER TABLE "audit_log" DISABLE TRIGGER "tr_audit_log_append_only"`);
    let head: { id: string | null; hash: string } = { id: null, hash: AUDIT_GENESIS_HASH };
    for (;;) {
      const page = await readChainPage(queryRunner, head.id, PAGE);
      if (page.length === 0) break;
      const params: string[] = [];
      const values = page.map((row) => {
        const prevHash = head.hash;
        head = { id: row.id, hash: auditEntryHash(prevHash, row) };
        params.push(row.id, prevHash, head.hash);
        return `($${params.length - 2}::bigint, $${params.length - 1}, $${params.length})`;
      });
      await queryRunner.query(
        `UPDATE "audit_log" a SET "prev_hash" = v.prev_hash, "hash" = v.hash FROM (VALUES ${values.join(', ')}) AS v (id, prev_hash, hash) WHERE a.id = v.id`,
        params,
      );
    }
    await queryRunner.query(`ALTER TABLE "audit_log" ENABLE TRIGGER "tr_audit_log_append_only"`);
    await queryRunner.query(`ALTER TABLE "audit_log" ALTER COLUMN "prev_hash" SET NOT NULL`);
    await queryRunner.query(`ALTER TABLE "audit_log" ALTER COLUMN "hash" SET NOT NULL`);
    await queryRunner.query(`INSERT INTO "audit_chain_head" ("id", "last_id", "hash") VALUES (1, $1, $2)`, [
      head.id,
      head.hash,
    ]);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "audit_log" DROP COLUMN "hash"`);
    await queryRunner.query(`ALTER TABLE "audit_log" DROP COLUMN "prev_hash"`);
    await queryRunner.query(`DROP TABLE "audit_chain_head"`);
  }
}
