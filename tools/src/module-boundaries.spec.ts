import { execFile, execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT } from '@quan/testing';

interface LintResult {
  messages: { ruleId: string | null; message: string }[];
}

/** Runs the project's ESLint on code given on stdin as if it stood at `path`; returns the module-boundary messages. */
function boundaryErrors(path: string, code: string): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const eslint = execFile(
      join(REPO_ROOT, 'node_modules/.bin/eslint'),
      ['--stdin', '--stdin-filename', path, '--format', 'json'],
      { cwd: REPO_ROOT, env: { ...process.env, NX_DAEMON: 'false' } },
      (_error, stdout) => {
        try {
          const [result] = JSON.parse(stdout) as LintResult[];
          resolve(result.messages.filter((m) => m.ruleId === '@nx/enforce-module-boundaries').map((m) => m.message));
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
    execFileSync(join(REPO_ROOT, 'node_modules/.bin/nx'), ['show', 'projects'], { cwd: REPO_ROOT, env: { ...process.env, NX_DAEMON: 'false' }, stdio: 'ignore' });
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
    const errors = await boundaryErrors('libs/domain/src/boundary-fixture.ts', `import { ENTITIES } from '@quan/data';\nexport const used = ENTITIES;\n`);
    // Nx reports it as a tag violation, or as a cycle, since data already depends on domain.
    expect(errors).toEqual([expect.stringMatching(/^(A project tagged with "type:domain" can only depend on libs tagged with "type:domain"|Circular dependency between "domain" and "data")/)]);
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
});
