import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { inputHash } from './web-build';

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

  it.each(['apps/resident/src/main.tsx', 'apps/resident/src/new-screen.tsx', 'libs/web/core/src/money.ts', 'libs/domain/src/identity.ts', 'package-lock.json', 'tools/vite/web-app-config.ts'])(
    'changes when %s changes',
    (file) => {
      const before = inputHash(APP, root);
      write(file, 'changed');
      expect(inputHash(APP, root)).not.toBe(before);
    },
  );
});
