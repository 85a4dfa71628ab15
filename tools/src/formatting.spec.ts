import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '@quan/testing';

/** Runs Prettier's check, as `npm run lint` does, on code given on stdin as if it stood at `path`; resolves its exit code. */
function prettierCheck(path: string, code: string): Promise<number> {
  return new Promise((resolve) => {
    const prettier = execFile(
      join(REPO_ROOT, 'node_modules/.bin/prettier'),
      ['--check', '--stdin-filepath', path],
      { cwd: REPO_ROOT },
      (error) => resolve(error ? Number(error.code) : 0),
    );
    prettier.stdin?.end(code);
  });
}

describe('formatting (lint)', () => {
  it('runs the Prettier check as part of npm run lint', () => {
    const { scripts } = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    };
    expect(scripts.lint).toContain('prettier --check');
  });

  it('fails a feature file that is not formatted and passes it once formatted', async () => {
    const path = 'libs/claims/src/formatting-fixture.ts';
    expect(await prettierCheck(path, `export const limits = {perPerson:1,perRound:  2}\n`)).not.toBe(0);
    expect(await prettierCheck(path, `export const limits = { perPerson: 1, perRound: 2 };\n`)).toBe(0);
  });

  it('fails a line longer than 120 characters that could be wrapped', async () => {
    const call = `export const total = sum(${Array.from({ length: 16 }, (_, i) => `amount${i}`).join(', ')});\n`;
    expect(call.length).toBeGreaterThan(120);
    expect(await prettierCheck('apps/api/src/formatting-fixture.ts', call)).not.toBe(0);
  });
});
