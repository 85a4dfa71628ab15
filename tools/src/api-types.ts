import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { API_TYPES_PATH, apiTypesOf } from '@quan/testing';
import { runToEnd } from './processes';
import { runTool } from './run-tool';
import { ROOT, say } from './services';

/**
 * `npm run api:types`: writes the TypeScript types of the api's OpenAPI document (openapi-typescript) to
 * libs/web/api/src/schema.d.ts, for the web apps' client. The document comes from the compiled api in
 * Nest's preview mode, so neither Postgres nor Redis is needed; apps/api/test/api-contract.spec.ts fails
 * when the committed file differs from what the running api documents.
 */
runTool(async () => {
  const scratch = await mkdtemp(join(tmpdir(), 'quan-openapi-'));
  try {
    const documentFile = join(scratch, 'openapi.json');
    const describe = [
      `-r`,
      join(ROOT, 'tools/register-paths.cjs'),
      join(ROOT, 'dist/apps/api/src/describe.js'),
      documentFile,
    ];
    const code = await runToEnd(process.execPath, describe, { env: { ...process.env, LOG_LEVEL: 'error' } });
    if (code !== 0) throw new Error(`describing the api failed (exit code ${code})`);
    const target = join(ROOT, API_TYPES_PATH);
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, await apiTypesOf(JSON.parse(await readFile(documentFile, 'utf8')) as object));
    say(`wrote ${API_TYPES_PATH}`);
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
});
