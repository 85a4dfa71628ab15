import { randomBytes } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { runToEnd } from './processes';
import { runTool } from './run-tool';
import { ROOT, say } from './services';

interface Report {
  seed: number;
  runs: number;
  failures: string[];
  tally: Record<string, Record<string, number>>;
}

const RUNS = 400;

/**
 * `npm run fuzz:api`: the property-based fuzz of apps/api/test/hostile-input.spec.ts, with many more runs an
 * operation than `npm test` gives it (and a seed of its own unless FUZZ_SEED is set), through `npm test`'s
 * provisioning. Prints the answers by operation and status, then one JSON line: the totals and failures.
 */
runTool(async () => {
  const report = join(ROOT, 'dist', `fuzz-${randomBytes(4).toString('hex')}.json`);
  const seed = process.env.FUZZ_SEED ?? String(Date.now() % 2 ** 31);
  const runs = process.env.FUZZ_RUNS ?? String(RUNS);
  say(`fuzz of every operation: seed ${seed}, ${runs} runs an operation`);
  const test = join(ROOT, 'dist', 'tools', 'src', 'test.js');
  await runToEnd(
    process.execPath,
    [
      '-r',
      join(ROOT, 'tools', 'register-paths.cjs'),
      test,
      'apps/api/test/hostile-input.spec.ts',
      '--testNamePattern',
      'property-based',
    ],
    {
      cwd: ROOT,
      env: { ...process.env, FUZZ_SEED: seed, FUZZ_RUNS: runs, FUZZ_REPORT: report },
    },
  );
  const { failures, tally } = JSON.parse(readFileSync(report, 'utf8')) as Report;
  rmSync(report);
  const byStatus: Record<string, number> = {};
  const rows = Object.entries(tally).map(([operation, statuses]) => {
    for (const [status, count] of Object.entries(statuses)) byStatus[status] = (byStatus[status] ?? 0) + count;
    const sum = (from: number) =>
      Object.entries(statuses)
        .filter(([s]) => Math.floor(Number(s) / 100) === from)
        .reduce((n, [, c]) => n + c, 0);
    return { operation, requests: sum(2) + sum(4) + sum(5), '2xx': sum(2), '4xx': sum(4), '5xx': sum(5) };
  });
  console.table(rows);
  for (const failure of failures) say(`FAILED ${failure}`);
  const requests = rows.reduce((n, row) => n + row.requests, 0);
  process.stdout.write(
    `${JSON.stringify({ seed: Number(seed), runs: Number(runs), operations: rows.length, requests, byStatus, failures: failures.length })}\n`,
  );
  process.exit(failures.length === 0 ? 0 : 1);
});
