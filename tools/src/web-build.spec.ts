import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { REPO_ROOT } from '@quan/testing';
import { inputHash, SHARED_INPUTS } from './web-build';

const APP = { dir: 'resident', path: '/h5/', title: 'Resident H5' };

describe('web build inputs', () => {
  let root: string;
  const write = (file: string, content: string) => {
    mkdirSync(dirname(join(root, file)), { recursive: true });
    writeFileSync(join(root, file), content);
  };

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'quan-web-inputs-'));
    write('apps/resident/src/main.tsx', 'main');
    write('apps/resident/e2e/claim.spec.ts', 'spec');
    write('libs/web/core/src/money.ts', 'money');
    write('libs/domain/src/identity.ts', 'identity');
    write('libs/claims/src/claims.service.ts', 'server');
    write('package-lock.json', '{}');
  });

  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('is stable while nothing the build reads changes, specs and server code included', () => {
    const before = inputHash(APP, root);
    write('apps/resident/e2e/claim.spec.ts', 'another spec');
    write('apps/resident/src/claim-attempt.spec.ts', 'a unit spec');
    write('libs/claims/src/claims.service.ts', 'other server code');
    expect(inputHash(APP, root)).toBe(before);
  });

  it.each([
    'apps/resident/src/main.tsx',
    'apps/resident/src/new-screen.tsx',
    'libs/web/core/src/money.ts',
    'libs/domain/src/identity.ts',
    'package-lock.json',
    'tools/vite/web-app-config.ts',
  ])('changes when %s changes', (file) => {
    const before = inputHash(APP, root);
    write(file, 'changed');
    expect(inputHash(APP, root)).not.toBe(before);
  });

  it('are all copied into the image before its build stage builds the web apps', () => {
    const dockerfile = readFileSync(join(REPO_ROOT, 'deploy/Dockerfile'), 'utf8');
    const stage = dockerfile.slice(
      dockerfile.indexOf('FROM base AS build'),
      dockerfile.indexOf('FROM base AS runtime'),
    );
    const built = stage.indexOf('dist/tools/src/build-web.js');
    expect(built).toBeGreaterThan(0);
    const copied = [...stage.slice(0, built).matchAll(/^COPY (.+) \S+$/gm)].flatMap((m) => m[1].split(' '));
    const missing = ['apps', ...SHARED_INPUTS].filter(
      (input) => !copied.some((source) => input === source || input.startsWith(`${source}/`)),
    );
    expect(missing).toEqual([]);
  });
});
