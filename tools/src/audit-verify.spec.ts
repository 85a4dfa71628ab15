import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { DataSource, EntityManager } from 'typeorm';
import { auditEntryHash, createDataSource, readChainPage, verifyAuditChain } from '@quan/data';
import { seedDemoCity } from '@quan/demo';
import { AuditChange, recordAudit, SYSTEM_ACTOR } from '@quan/platform';
import { createTestEnvironment, REPO_ROOT, TestEnvironment } from '@quan/testing';

/** Changes like the features write: nested objects, arrays, numbers, CJK text, nulls. */
const change = (n: number): AuditChange => ({
  action: 'campaign.update',
  entityType: 'campaign',
  entityId: `c-${n}`,
  before: { name: '秦乐购·第七期消费券', version: n, limits: { perPerson: 2, perDay: null }, tags: ['餐饮', 'retail'] },
  after: {
    version: n + 1,
    budgetFen: 500_000_000,
    at: new Date(Date.UTC(2026, 10, 20, 2, 0, n)),
    nested: { z: 1, a: [{ y: true, b: 'x' }] },
  },
});

const ADMIN = { id: '00000000-0000-4000-8000-000000000001', role: 'city_admin' };

/** Runs `sql` as the database owner with triggers off: what the append-only trigger cannot stop. */
async function asOwner(db: DataSource, sql: string, params: unknown[] = []): Promise<void> {
  await db.transaction(async (manager: EntityManager) => {
    await manager.query(`SET LOCAL session_replication_role = replica`);
    await manager.query(sql, params);
  });
}

/** Deletes an entry as the owner; returns what puts it back exactly (kept in a table, so `at` keeps its microseconds). */
async function deleteAsOwner(db: DataSource, id: string): Promise<() => Promise<void>> {
  await db.query(`CREATE TABLE IF NOT EXISTS removed_entries AS SELECT * FROM audit_log WITH NO DATA`);
  await db.query(`INSERT INTO removed_entries SELECT * FROM audit_log WHERE id = $1`, [id]);
  await asOwner(db, `DELETE FROM audit_log WHERE id = $1`, [id]);
  return async () => {
    await db.query(`INSERT INTO audit_log OVERRIDING SYSTEM VALUE SELECT * FROM removed_entries WHERE id = $1`, [id]);
  };
}

/** `npm run audit:verify`'s compiled entry against `databaseUrl`. */
async function runVerifier(databaseUrl: string, ...args: string[]): Promise<{ code: number | null; output: string }> {
  const child = spawn(
    process.execPath,
    ['-r', join(REPO_ROOT, 'tools/register-paths.cjs'), join(REPO_ROOT, 'dist/tools/src/audit-verify.js'), ...args],
    {
      cwd: REPO_ROOT,
      env: { ...process.env, DATABASE_URL: databaseUrl },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  return { code, output };
}

describe('audit chain and npm run audit:verify', () => {
  let env: TestEnvironment;
  let db: DataSource;
  let ids: string[];

  beforeAll(async () => {
    env = await createTestEnvironment();
    db = createDataSource(env.config);
    await db.initialize();
    await seedDemoCity(db, env.config);
    for (let n = 0; n < 6; n += 1)
      await db.transaction((manager) => recordAudit(manager, n % 2 ? SYSTEM_ACTOR : ADMIN, change(n), change(n + 100)));
    ids = (await db.query(`SELECT id::text FROM audit_log ORDER BY audit_log.id`)).map((row: { id: string }) => row.id);
  });

  afterAll(async () => {
    await db?.destroy();
    await env?.dispose();
  });

  it('holds on the seeded demo city with its audit entries, and the command exits 0', async () => {
    expect(ids).toHaveLength(12);
    expect(await verifyAuditChain(db)).toEqual({
      entries: 12,
      head: { id: ids[11], hash: expect.stringMatching(/^[0-9a-f]{64}$/) },
      broken: null,
    });
    const run = await runVerifier(env.config.DATABASE_URL);
    expect(run).toEqual({ code: 0, output: expect.stringContaining(`audit chain holds: 12 entries, head ${ids[11]}`) });
  });

  it('names an entry the database owner changed past the append-only trigger, and the command exits 1', async () => {
    const edited = ids[4];
    await asOwner(db, `UPDATE audit_log SET after = jsonb_set(after, '{budgetFen}', '1') WHERE id = $1`, [edited]);
    try {
      expect((await verifyAuditChain(db)).broken).toEqual({
        id: edited,
        problem: expect.stringMatching(/^content hashes to .*the entry was changed$/),
      });
      const run = await runVerifier(env.config.DATABASE_URL);
      expect(run.code).toBe(1);
      expect(run.output).toContain(`audit chain broken at entry ${edited}: content hashes to`);
    } finally {
      await asOwner(db, `UPDATE audit_log SET after = jsonb_set(after, '{budgetFen}', '500000000') WHERE id = $1`, [
        edited,
      ]);
    }
    expect((await verifyAuditChain(db)).broken).toBeNull();
  });

  it('names the link after an entry the owner changed and rehashed, and a rewrite from there on through an anchor', async () => {
    const [edited, next] = [ids[4], ids[5]];
    const [original] = await readChainPage(db, ids[3], 1);
    // A forger who knows the scheme recomputes the changed entry's own hash; the next entry still names the old one.
    const forged = auditEntryHash(original.prevHash, { ...original, action: 'campaign.forged' });
    await asOwner(db, `UPDATE audit_log SET action = 'campaign.forged', hash = $2 WHERE id = $1`, [edited, forged]);
    try {
      expect((await verifyAuditChain(db)).broken).toEqual({
        id: next,
        problem: expect.stringContaining(
          `of entry ${edited}: an entry between them was removed, or entry ${edited} was changed and rehashed`,
        ),
      });
    } finally {
      await asOwner(db, `UPDATE audit_log SET action = $2, hash = $3 WHERE id = $1`, [
        edited,
        original.action,
        original.hash,
      ]);
    }
    expect((await verifyAuditChain(db, [{ id: edited, hash: original.hash }])).broken).toBeNull();
    // A chain rewritten consistently from an anchored entry on still differs from the anchor kept outside.
    expect((await verifyAuditChain(db, [{ id: edited, hash: 'e'.repeat(64) }])).broken).toEqual({
      id: edited,
      problem: expect.stringContaining('is not the anchored'),
    });
    const run = await runVerifier(env.config.DATABASE_URL, '--anchor', `${edited}=${'e'.repeat(64)}`);
    expect(run.code).toBe(1);
    expect(run.output).toContain(`audit chain broken at entry ${edited}: hash`);
  });

  it('names the entry after one the owner deleted, and the command exits 1', async () => {
    const [before, deleted, after] = [ids[6], ids[7], ids[8]];
    const restore = await deleteAsOwner(db, deleted);
    try {
      expect((await verifyAuditChain(db)).broken).toEqual({
        id: after,
        problem: expect.stringContaining(`is not the hash`),
      });
      expect((await verifyAuditChain(db)).broken?.problem).toContain(
        `of entry ${before}: an entry between them was removed`,
      );
      const run = await runVerifier(env.config.DATABASE_URL);
      expect(run.code).toBe(1);
      expect(run.output).toContain(`audit chain broken at entry ${after}: prev_hash`);
    } finally {
      await restore();
    }
    expect((await verifyAuditChain(db)).broken).toBeNull();
  });

  it('names the chain head when the owner deleted the newest entry', async () => {
    const newest = ids[11];
    const restore = await deleteAsOwner(db, newest);
    try {
      expect((await verifyAuditChain(db)).broken).toEqual({
        id: newest,
        problem: expect.stringContaining(`the chain head names entry ${newest}`),
      });
    } finally {
      await restore();
    }
    expect((await verifyAuditChain(db)).broken).toBeNull();
  });

  it('makes one holding chain of many transactions writing at once, some rolled back, in the order of the ids', async () => {
    const writers = Array.from({ length: 40 }, (_, n) =>
      db
        .transaction(async (manager) => {
          await recordAudit(manager, ADMIN, change(1000 + n), change(2000 + n));
          if (n % 5 === 0) throw new Error('rolled back');
        })
        .then(
          () => 'committed',
          () => 'rolled back',
        ),
    );
    const outcomes = await Promise.all(writers);
    expect(outcomes.filter((o) => o === 'committed')).toHaveLength(32);
    const verified = await verifyAuditChain(db);
    expect(verified).toEqual({ entries: 12 + 64, head: expect.anything(), broken: null });
    const [{ max }] = await db.query(`SELECT max(id)::text AS max FROM audit_log`);
    expect(verified.head.id).toBe(max);
  });
});

describe('the audit chain migration', () => {
  let env: TestEnvironment;
  let db: DataSource;

  beforeAll(async () => {
    env = await createTestEnvironment();
    db = createDataSource(env.config);
    await db.initialize();
  });

  afterAll(async () => {
    await db?.destroy();
    await env?.dispose();
  });

  it('chains the entries written before it from the genesis, and new entries continue that chain', async () => {
    const chained = () => db.query(`SELECT 1 FROM migrations WHERE name = 'AuditChain1796662948571'`);
    while ((await chained()).length > 0) await db.undoLastMigration({ transaction: 'each' });
    await db.query(
      `INSERT INTO audit_log (at, actor_id, actor_role, action, entity_type, entity_id, before, after, request_id)
       VALUES ('2026-11-01T10:00:00.123456+08:00', NULL, 'system', 'campaign.start', 'campaign', 'c1', '{"status": "published"}', '{"status": "running"}', NULL),
              (now(), $1, 'city_admin', 'county.update', 'county', 'baihe', '{"name": "白河县", "sortOrder": 3}', '{"name": "白河", "sortOrder": 3}', 'req-1'),
              (now(), $1, 'city_admin', 'county.create', 'county', 'yuehe', NULL, '{"name": "月河", "kind": "functional_zone"}', 'req-2')`,
      [ADMIN.id],
    );
    await db.runMigrations({ transaction: 'each' });
    const verified = await verifyAuditChain(db);
    expect(verified).toMatchObject({ entries: 3, broken: null });
    const [first] = await db.query(`SELECT prev_hash FROM audit_log ORDER BY id LIMIT 1`);
    expect(first.prev_hash).toBe('0'.repeat(64));

    await db.transaction((manager) => recordAudit(manager, ADMIN, change(1)));
    expect(await verifyAuditChain(db)).toMatchObject({ entries: 4, broken: null });
    await expect(db.query(`UPDATE audit_log SET action = 'forged'`)).rejects.toThrow(/append-only/);
  });
});
