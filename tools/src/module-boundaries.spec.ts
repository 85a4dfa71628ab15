import { execFile, execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT } from '@quan/testing';

interface LintResult {
  messages: { ruleId: string | null; message: string }[];
}

/** Runs the project's ESLint on code given on stdin as if it stood at `path`; returns the messages of `rule` (module boundaries by default). */
function boundaryErrors(path: string, code: string, rule = '@nx/enforce-module-boundaries'): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const eslint = execFile(
      join(REPO_ROOT, 'node_modules/.bin/eslint'),
      ['--stdin', '--stdin-filename', path, '--format', 'json'],
      { cwd: REPO_ROOT, env: { ...process.env, NX_DAEMON: 'false' } },
      (_error, stdout) => {
        try {
          const [result] = JSON.parse(stdout) as LintResult[];
          resolve(result.messages.filter((m) => m.ruleId === rule).map((m) => m.message));
        } catch (parseError) {
          reject(parseError);
        }
      },
    );
    eslint.stdin?.end(code);
  });
}

describe('Nx module boundaries (lint)', () => {
  beforeAll(() => {
    // The rule reads Nx's cached project graph (and skips itself without one); build it as npm test does.
    execFileSync(join(REPO_ROOT, 'node_modules/.bin/nx'), ['show', 'projects'], {
      cwd: REPO_ROOT,
      env: { ...process.env, NX_DAEMON: 'false' },
      stdio: 'ignore',
    });
  });

  it('forbids the domain lib to import Nest, TypeORM or ioredis', async () => {
    const errors = await boundaryErrors(
      'libs/domain/src/boundary-fixture.ts',
      `import { Injectable } from '@nestjs/common';\nimport { Entity } from 'typeorm';\nimport Redis from 'ioredis';\nexport const used = [Injectable, Entity, Redis];\n`,
    );
    expect(errors).toEqual([
      'A project tagged with "type:domain" is not allowed to import "@nestjs/common"',
      'A project tagged with "type:domain" is not allowed to import "typeorm"',
      'A project tagged with "type:domain" is not allowed to import "ioredis"',
    ]);
  });

  it('forbids the domain lib to depend on the data access lib', async () => {
    const errors = await boundaryErrors(
      'libs/domain/src/boundary-fixture.ts',
      `import { ENTITIES } from '@quan/data';\nexport const used = ENTITIES;\n`,
    );
    // Nx reports it as a tag violation, or as a cycle, since data already depends on domain.
    expect(errors).toEqual([
      expect.stringMatching(
        /^(A project tagged with "type:domain" can only depend on libs tagged with "type:domain"|Circular dependency between "domain" and "data")/,
      ),
    ]);
  });

  it('forbids a lib to import an app', async () => {
    const errors = await boundaryErrors(
      'libs/reference/src/boundary-fixture.ts',
      `import { AppModule } from '../../../apps/api/src/app.module';\nexport const used = AppModule;\n`,
    );
    expect(errors).toHaveLength(1);
  });

  it('lets a feature module use the platform, data and domain libs', async () => {
    const errors = await boundaryErrors(
      'libs/reference/src/boundary-fixture.ts',
      `import { ErrorCode } from '@quan/domain';\nimport { County } from '@quan/data';\nimport { ProblemFilter } from '@quan/platform';\nexport const used = [ErrorCode, County, ProblemFilter];\n`,
    );
    expect(errors).toEqual([]);
  });

  it('lets the merchants feature use the staff-account lib but not the staff feature', async () => {
    const shared = await boundaryErrors(
      'libs/merchants/src/boundary-fixture.ts',
      `import { StaffAccountDto } from '@quan/staff-accounts';\nexport const used = StaffAccountDto;\n`,
    );
    expect(shared).toEqual([]);
    const feature = await boundaryErrors(
      'libs/merchants/src/boundary-fixture.ts',
      `import { StaffModule } from '@quan/staff';\nexport const used = StaffModule;\n`,
    );
    expect(feature).toEqual([
      'A project tagged with "type:feature" can only depend on libs tagged with "type:domain", "type:config", "type:data", "type:counters", "type:platform"',
    ]);
  });

  it('forbids web libs to import Nest, TypeORM, ioredis, pg or the server libs', async () => {
    const errors = await boundaryErrors(
      'libs/web/core/src/boundary-fixture.ts',
      `import { Injectable } from '@nestjs/common';\nimport { Entity } from 'typeorm';\nimport Redis from 'ioredis';\nimport { Client } from 'pg';\nimport { ENTITIES } from '@quan/data';\nexport const used = [Injectable, Entity, Redis, Client, ENTITIES];\n`,
    );
    expect(errors).toEqual([
      'A project tagged with "type:web" is not allowed to import "@nestjs/common"',
      'A project tagged with "type:web" is not allowed to import "typeorm"',
      'A project tagged with "type:web" is not allowed to import "ioredis"',
      'A project tagged with "type:web" is not allowed to import "pg"',
      'A project tagged with "type:web" can only depend on libs tagged with "type:web", "type:domain"',
    ]);
  });

  it('checks .tsx files of a web app: no server lib, no Fastify', async () => {
    const errors = await boundaryErrors(
      'apps/resident/src/boundary-fixture.tsx',
      `import { ProblemFilter } from '@quan/platform';\nimport Fastify from 'fastify';\nexport const Screen = () => <p>{String([ProblemFilter, Fastify])}</p>;\n`,
    );
    expect(errors).toEqual([
      'A project tagged with "type:web-app" can only depend on libs tagged with "type:web", "type:domain"',
      'A project tagged with "type:web-app" is not allowed to import "fastify"',
    ]);
  });

  it('forbids Node modules in web code', async () => {
    const errors = await boundaryErrors(
      'libs/web/api/src/boundary-fixture.ts',
      `import { randomUUID } from 'node:crypto';\nexport const used = randomUUID;\n`,
      'no-restricted-imports',
    );
    expect(errors).toEqual([expect.stringContaining('Web code runs in the browser')]);
  });

  it('keeps the Redis counters in libs/counters: a feature naming a counter hash field or key fails lint', async () => {
    const feature = [
      `import Redis from 'ioredis';`,
      `import { roundKey } from '@quan/counters';`,
      'export const issued = (redis: Redis, key: string, offerId: string) => redis.hget(key, `i:${offerId}`);',
      `export const limit = (redis: Redis, key: string) => redis.hget(key, 'rlim');`,
      'export const used = roundKey;',
      '',
    ].join('\n');
    const fields = await boundaryErrors('libs/claims/src/boundary-fixture.ts', feature, 'no-restricted-syntax');
    const keys = await boundaryErrors('libs/settlement/src/boundary-fixture.ts', feature, 'no-restricted-imports');
    expect(fields).toEqual([
      expect.stringContaining('belong to libs/counters'),
      expect.stringContaining('belong to libs/counters'),
    ]);
    expect(keys).toEqual([expect.stringContaining('Redis counter keys belong to libs/counters')]);
    // The counters lib itself may, and a feature using its typed wrappers passes.
    expect(
      await boundaryErrors(
        'libs/counters/src/boundary-fixture.ts',
        feature.replace(/^.*@quan\/counters.*\n/m, '').replace('roundKey', 'Redis'),
        'no-restricted-syntax',
      ),
    ).toEqual([]);
    expect(
      await boundaryErrors(
        'libs/claims/src/boundary-fixture.ts',
        `import { ClaimCounters } from '@quan/counters';\nexport const used = ClaimCounters;\n`,
      ),
    ).toEqual([]);
  });

  it('lets a web app use the web libs and the domain', async () => {
    const errors = await boundaryErrors(
      'apps/resident/src/boundary-fixture.tsx',
      `import { ErrorCode } from '@quan/domain';\nimport { createApiClient } from '@quan/web-api';\nimport { formatFen } from '@quan/web-core';\nexport const Screen = () => <p>{String([ErrorCode, createApiClient, formatFen])}</p>;\n`,
    );
    expect(errors).toEqual([]);
  });

  it('forbids server libs and apps to import web code', async () => {
    const fromFeature = await boundaryErrors(
      'libs/claims/src/boundary-fixture.ts',
      `import { formatFen } from '@quan/web-core';\nexport const used = formatFen;\n`,
    );
    const fromApi = await boundaryErrors(
      'apps/api/src/boundary-fixture.ts',
      `import { createApiClient } from '@quan/web-api';\nexport const used = createApiClient;\n`,
    );
    expect(fromFeature).toEqual([
      'A project tagged with "type:feature" can only depend on libs tagged with "type:domain", "type:config", "type:data", "type:counters", "type:platform"',
    ]);
    expect(fromApi).toEqual([
      expect.stringMatching(/^A project tagged with "type:app" can only depend on libs tagged with/),
    ]);
  });
});
