import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfigOrExit } from '@quan/config';
import { createDataSource, withScratchDatabase } from '@quan/data';

/**
 * Writes a migration with the SQL that brings a freshly migrated database in line with the entities:
 * `npm run migration:generate -- AddVouchers`. Review the file, then add it to MIGRATIONS.
 */
async function main(): Promise<void> {
  // argv: node, tools/bootstrap.cjs, generate-migration, Name
  const name = process.argv[3];
  if (!name || !/^[A-Z][A-Za-z0-9]+$/.test(name)) {
    process.stderr.write('usage: npm run migration:generate -- PascalCaseName\n');
    process.exit(2);
  }
  const config = loadConfigOrExit();
  await withScratchDatabase(config, 'gen', async (scratch) => {
    const dataSource = createDataSource(scratch);
    await dataSource.initialize();
    try {
      await dataSource.runMigrations();
      const log = await dataSource.driver.createSchemaBuilder().log();
      if (log.upQueries.length === 0) {
        process.stdout.write('entities and migrations agree; nothing to generate\n');
        return;
      }
      const timestamp = Date.now();
      const className = `${name}${timestamp}`;
      const lines = (queries: { query: string }[]) =>
        queries
          .map((q) => `    await queryRunner.query(\`${q.query.replace(/[`\\]|\$\{/g, (m) => `\\${m}`)}\`);`)
          .join('\n');
      const file = join(__dirname, '../../../libs/data/src/migrations', `${timestamp}-${name}.ts`);
      writeFileSync(
        file,
        `import { MigrationInterface, QueryRunner } from 'typeorm';

export class ${className} implements MigrationInterface {
  name = '${className}';

  async up(queryRunner: QueryRunner): Promise<void> {
${lines(log.upQueries)}
  }

  async down(queryRunner: QueryRunner): Promise<void> {
${lines([...log.downQueries].reverse())}
  }
}
`,
      );
      process.stdout.write(`wrote ${file}\n`);
    } finally {
      await dataSource.destroy();
    }
  });
}

void main();
