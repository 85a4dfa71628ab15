import { readFile } from 'node:fs/promises';
import { PublishedDraw, verifyDraw } from '@quan/domain';

/**
 * `npm run lottery:verify -- FILE_OR_URL`: recomputes a published lottery draw (the JSON of
 * GET /api/v1/rounds/{roundId}/lottery, from a file or a URL) with the same pure algorithm the worker
 * draws with, and nothing else of Quan: no database, no service. Exits 1 and prints each difference when
 * the seed, the list, its root or the winners do not agree; 2 when the input cannot be read.
 */
async function main(): Promise<number> {
  // Through npm the arguments follow `tools/bootstrap.cjs lottery-verify`; run directly, the script's path.
  const args = process.argv.slice(2);
  if (args[0] === 'lottery-verify') args.shift();
  const [source] = args;
  if (!source || args.length > 1) {
    process.stderr.write('usage: npm run lottery:verify -- FILE_OR_URL\n');
    return 2;
  }
  let draw: PublishedDraw;
  try {
    const text = /^https?:\/\//.test(source)
      ? await fetch(source).then(async (response) => {
          if (!response.ok) throw new Error(`${source} answered ${response.status}`);
          return response.text();
        })
      : await readFile(source, 'utf8');
    draw = JSON.parse(text) as PublishedDraw;
  } catch (error) {
    process.stderr.write(`cannot read ${source}: ${error instanceof Error ? error.message : String(error)}\n`);
    return 2;
  }
  const problems = verifyDraw(draw);
  if (problems.length > 0) {
    process.stderr.write(
      `the draw of round ${draw.roundId} does NOT hold:\n${problems.map((p) => `  - ${p}\n`).join('')}`,
    );
    return 1;
  }
  process.stdout.write(
    `the draw of round ${draw.roundId} holds: seed matches the commitment ${draw.commitment}; ` +
      `${draw.entries.length} entries in canonical order with Merkle root ${draw.merkleRoot}; ` +
      `${draw.winners.length} winners (stock ${draw.stock}) recomputed by ${draw.algorithm}/${draw.algorithmVersion}\n`,
  );
  return 0;
}

void main().then((code) => (process.exitCode = code));
