import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { loadConfigOrExit } from '@quan/config';
import { describeHttpApi } from '@quan/platform';
import { AppModule } from './app.module';

/**
 * Writes the api's OpenAPI document to the file named by the first argument, without serving it or
 * reaching Postgres and Redis (used by `npm run api:types`).
 */
async function writeApiDocument(target: string): Promise<void> {
  const config = loadConfigOrExit();
  writeFileSync(target, JSON.stringify(await describeHttpApi(AppModule.register(config), config)));
}

writeApiDocument(process.argv[2]).catch((error: unknown) => {
  process.stderr.write(`could not describe the api: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
