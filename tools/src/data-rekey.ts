import 'reflect-metadata';
import { configWith, loadConfigOrExit } from '@quan/config';
import { createDataSource, FieldCipher, resealData } from '@quan/data';
import { migrateDatabase } from './migrations';
import { stopChildren } from './processes';
import { runTool } from './run-tool';
import { ensurePostgres, say } from './services';

/**
 * `npm run data:rekey`: migrates, then re-seals every sealed value whose key is not DATA_KEY_CURRENT. Rotate
 * by adding a key to DATA_KEYS, making it current, restarting the apps, running this, then removing the old key.
 */
runTool(async () => {
  const config = loadConfigOrExit();
  const target = configWith(config, { DATABASE_URL: await ensurePostgres(config) });
  await migrateDatabase(target);
  const dataSource = createDataSource(target);
  await dataSource.initialize();
  try {
    const written = await resealData(dataSource, FieldCipher.fromConfig(target), 'rekey');
    say(`re-sealed ${written} value${written === 1 ? '' : 's'} with key ${target.DATA_KEY_CURRENT}`);
  } finally {
    await dataSource.destroy();
  }
  await stopChildren();
});
