import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import ts from 'typescript';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import {
  API_TYPES_PATH,
  apiTypesOf,
  createTestApp,
  createTestEnvironment,
  REPO_ROOT,
  TestEnvironment,
} from '@quan/testing';
import { AppModule } from '../src/app.module';

const COMMITTED_TYPES = join(REPO_ROOT, API_TYPES_PATH);
const CLIENT = join(__dirname, '__fixtures__', 'api-client.ts');

/** Where the committed types differ from `fresh`, or undefined when they are the same. */
function drift(fresh: string): string | undefined {
  if (!existsSync(COMMITTED_TYPES)) return `${API_TYPES_PATH} is missing: run \`npm run api:types\` and commit it`;
  const committed = readFileSync(COMMITTED_TYPES, 'utf8').split('\n');
  const generated = fresh.split('\n');
  const line = generated.findIndex((text, i) => text !== committed[i]);
  if (line === -1 && committed.length === generated.length) return undefined;
  const at = line === -1 ? generated.length : line;
  return `${API_TYPES_PATH} differs from the api's OpenAPI document from line ${at + 1} ("${committed[at]?.trim()}" where the api gives "${generated[at]?.trim()}"): run \`npm run api:types\` and commit it`;
}

/** Type-checks the client fixture as a web app would compile it, with `types` as the schema it imports (quan-api-schema). */
function typeCheckClient(types: string): string[] {
  const options: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    lib: ['lib.es2023.d.ts', 'lib.dom.d.ts'],
    types: [],
    paths: { 'quan-api-schema': [COMMITTED_TYPES] },
  };
  const host = ts.createCompilerHost(options);
  const readFile = host.readFile.bind(host);
  host.readFile = (file) => (resolve(file) === COMMITTED_TYPES ? types : readFile(file));
  const diagnostics = ts.getPreEmitDiagnostics(ts.createProgram([CLIENT], options, host));
  return diagnostics.map((d) =>
    ts
      .formatDiagnostic(d, {
        getCanonicalFileName: (f) => f,
        getCurrentDirectory: () => REPO_ROOT,
        getNewLine: () => '\n',
      })
      .trim(),
  );
}

describe('the api contract: client types generated from the running api', () => {
  let env: TestEnvironment;
  let app: NestFastifyApplication;
  let document: { components: { schemas: Record<string, { properties?: Record<string, unknown> }> } };
  let types: string;

  beforeAll(async () => {
    env = await createTestEnvironment();
    app = await createTestApp(AppModule.register(env.config), env.config);
    document = (await app.inject({ url: '/docs/openapi.json' })).json();
    types = await apiTypesOf(document);
  });

  afterAll(async () => {
    await app?.close();
    await env?.dispose();
  });

  it(`are the committed ${API_TYPES_PATH}`, () => {
    expect(drift(types)).toBeUndefined();
  });

  it('type-check a client that drafts and approves a campaign, claims, shows a QR code, redeems, reverses and reads statements', () => {
    expect(typeCheckClient(types)).toEqual([]);
  });

  it('fail that client when an instant it reads as a string is declared an object', async () => {
    const broken = structuredClone(document);
    for (const schema of Object.values(broken.components.schemas)) {
      if (schema.properties?.opensAt) schema.properties.opensAt = { type: 'object' };
    }
    const errors = typeCheckClient(await apiTypesOf(broken));
    expect(errors).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/api-client\.ts\(\d+,\d+\): error TS2322: Type '.*' is not assignable to type 'string'/),
      ]),
    );
  });
});
