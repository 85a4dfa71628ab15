import { createDataSource, pendingSchemaChanges } from '@quan/data';
import { createTestEnvironment, TestEnvironment } from '@quan/testing';

describe('migrations', () => {
  let env: TestEnvironment;

  beforeAll(async () => {
    env = await createTestEnvironment();
  });

  afterAll(() => env?.dispose());

  it('leave no difference between the entities and the migrated schema, after up, down and up again', async () => {
    const dataSource = createDataSource(env.config);
    await dataSource.initialize();
    try {
      expect(await pendingSchemaChanges(dataSource)).toEqual([]);
      const applied = (await dataSource.query('SELECT count(*)::int AS n FROM migrations'))[0].n as number;
      expect(applied).toBe(dataSource.migrations.length);
      for (let i = 0; i < applied; i += 1) await dataSource.undoLastMigration();
      expect(
        await dataSource.query(
          `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_name <> 'migrations'`,
        ),
      ).toEqual([]);
      await dataSource.runMigrations();
      expect(await pendingSchemaChanges(dataSource)).toEqual([]);
    } finally {
      await dataSource.destroy();
    }
  });
});
