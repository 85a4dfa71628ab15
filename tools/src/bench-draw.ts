import { randomBytes } from 'node:crypto';
import {
  drawWinners,
  lotteryCommitment,
  lotteryEntry,
  merkleRoot,
  newEntrySalt,
  newLotterySeed,
  packEntries,
} from '@quan/domain';
import { runTool } from './run-tool';
import { say } from './services';

const REGISTRATIONS = 1_000_000;
const WINNERS = 200_000;

const peakMiB = () => Math.round(process.resourceUsage().maxRSS / 1024);

/**
 * `npm run bench:draw`: the lottery draw's computation as the worker runs it (libs/domain/src/lottery.ts)
 * over 1,000,000 registrations with a stock of 200,000: the canonical sort of the entries, their Merkle
 * root and the partial shuffle. Prints a table of the steps and a last line of JSON
 * {registrations, winners, seconds, peakRssMiB}. Memory is bounded by the list: 32 bytes per packed entry
 * plus one 4-byte position each, besides the entries' text.
 */
runTool(async () => {
  const roundId = '00000000-0000-4000-8000-000000000000';
  const entries = Array.from({ length: REGISTRATIONS }, () =>
    lotteryEntry(roundId, newEntrySalt(), randomBytes(16).toString('hex')),
  );
  const seed = newLotterySeed();
  lotteryCommitment(seed);
  const steps: [string, number][] = [];
  const timed = <T>(name: string, step: () => T): T => {
    const started = performance.now();
    const result = step();
    steps.push([name, (performance.now() - started) / 1000]);
    return result;
  };
  const started = performance.now();
  timed('sort the entries', () => entries.sort());
  const packed = timed('pack them', () => packEntries(entries));
  const root = timed('Merkle root', () => merkleRoot(packed));
  const winners = timed('partial shuffle', () => drawWinners(seed, root, REGISTRATIONS, WINNERS));
  timed('winning entries', () => winners.map((i) => entries[i]));
  const seconds = (performance.now() - started) / 1000;
  if (new Set(winners).size !== WINNERS) throw new Error('a position won twice');
  say(`${REGISTRATIONS.toLocaleString()} registrations, ${WINNERS.toLocaleString()} winners`);
  say(
    [
      'step                 seconds',
      ...steps.map(([name, s]) => `${name.padEnd(20)} ${s.toFixed(2).padStart(7)}`),
    ].join('\n'),
  );
  process.stdout.write(
    `${JSON.stringify({ registrations: REGISTRATIONS, winners: WINNERS, seconds: Number(seconds.toFixed(2)), peakRssMiB: peakMiB() })}\n`,
  );
});
