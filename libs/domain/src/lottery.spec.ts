import { createHash } from 'node:crypto';
import {
  drawWinners,
  LOTTERY_ALGORITHM,
  LOTTERY_ALGORITHM_VERSION,
  lotteryCommitment,
  lotteryEntry,
  merkleLevels,
  merkleProof,
  merkleRoot,
  packEntries,
  PublishedDraw,
  verifyDraw,
  verifyMerkleProof,
} from './lottery';

const hex = (text: string) => createHash('sha256').update(text).digest('hex');
const ROUND = '7a1c1f3e-8b0e-4c43-9d6f-0d7d2b1b2c11';

/** A draw as the worker publishes it, computed with the same functions. */
function published(size: number, stock: number, seed = hex('seed')): PublishedDraw {
  const entries = Array.from({ length: size }, (_, i) =>
    lotteryEntry(ROUND, hex(`salt${i}`).slice(0, 32), `identity-${i}`),
  ).sort();
  const root = merkleRoot(packEntries(entries));
  return {
    roundId: ROUND,
    algorithm: LOTTERY_ALGORITHM,
    algorithmVersion: LOTTERY_ALGORITHM_VERSION,
    commitment: lotteryCommitment(seed),
    seed,
    merkleRoot: root,
    stock,
    entries,
    winners: drawWinners(seed, root, size, stock).map((i) => entries[i]),
  };
}

describe('the lottery draw (quan-lottery/1)', () => {
  it('holds as published, and every tampering is named', () => {
    const draw = published(101, 17);
    expect(verifyDraw(draw)).toEqual([]);

    const entries = [...draw.entries];
    entries[40] = hex('someone else');
    entries.sort();
    expect(verifyDraw({ ...draw, entries }).join('\n')).toMatch(/Merkle root/);

    expect(verifyDraw({ ...draw, seed: hex('another seed') }).join('\n')).toMatch(/^seed: SHA-256\(seed\)/);

    const swapped = [...draw.entries];
    [swapped[3], swapped[4]] = [swapped[4], swapped[3]];
    expect(verifyDraw({ ...draw, entries: swapped }).join('\n')).toMatch(/list order: entries\[4\]/);

    const winners = [...draw.winners];
    winners[5] = draw.entries.find((entry) => !draw.winners.includes(entry))!;
    expect(verifyDraw({ ...draw, winners })).toEqual([
      `winners[5]: expected ${draw.winners[5]}, published ${winners[5]}`,
    ]);

    expect(verifyDraw({ ...draw, winners: draw.winners.slice(1) }).join('\n')).toMatch(/17 expected, 16 published/);
  });

  it('proves every entry in the list against the root, and no entry outside it', () => {
    for (const size of [1, 2, 3, 7, 8, 33]) {
      const { entries, merkleRoot: root } = published(size, 1);
      const levels = merkleLevels(packEntries(entries));
      entries.forEach((entry, i) => expect(verifyMerkleProof(entry, merkleProof(levels, i), root!)).toBe(true));
      expect(verifyMerkleProof(hex('not registered'), merkleProof(levels, 0), root!)).toBe(false);
    }
  });

  it('never draws a position twice and never more than the stock', () => {
    for (const [size, stock] of [
      [0, 5],
      [1, 5],
      [10, 10],
      [10, 3],
      [1000, 999],
      [1000, 5000],
    ]) {
      const winners = drawWinners(hex(`s${size}`), hex(`r${stock}`), size, stock);
      expect(winners).toHaveLength(Math.min(size, stock));
      expect(new Set(winners).size).toBe(winners.length);
      expect(winners.every((p) => p >= 0 && p < size)).toBe(true);
    }
  });

  it('is deterministic in seed and root, and changes with either', () => {
    const a = drawWinners(hex('s'), hex('r'), 1000, 50);
    expect(drawWinners(hex('s'), hex('r'), 1000, 50)).toEqual(a);
    expect(drawWinners(hex('s2'), hex('r'), 1000, 50)).not.toEqual(a);
    expect(drawWinners(hex('s'), hex('r2'), 1000, 50)).not.toEqual(a);
  });

  it('shows no position bias: chi-square over 12,000 draws of a list of 7 with 3 winners', () => {
    const size = 7;
    const stock = 3;
    const draws = 12000;
    const wins = new Array<number>(size).fill(0);
    const first = new Array<number>(size).fill(0);
    for (let d = 0; d < draws; d++) {
      const winners = drawWinners(hex(`seed ${d}`), hex('root'), size, stock);
      for (const p of winners) wins[p]++;
      first[winners[0]]++;
    }
    const chiSquare = (observed: number[], expected: number) =>
      observed.reduce((sum, o) => sum + (o - expected) ** 2 / expected, 0);
    // 6 degrees of freedom: 22.46 is the 0.001 critical value.
    expect(chiSquare(wins, (draws * stock) / size)).toBeLessThan(22.46);
    expect(chiSquare(first, draws / size)).toBeLessThan(22.46);
  });
});
