import { createHash, hash, randomBytes } from 'node:crypto';

/**
 * The lottery draw (摇号), version 1: the one implementation the worker draws with and the standalone
 * verifier checks with. Pure: node:crypto only. docs/lottery.md states the same steps in prose.
 *
 *   entry       SHA-256("quan-lottery/1 entry|" ‖ roundId ‖ "|" ‖ salt ‖ "|" ‖ identityRef), hex
 *   list        the distinct entries, sorted ascending
 *   Merkle root leaf = SHA-256(0x00 ‖ entry) (33 bytes hashed), node = SHA-256(left ‖ right) (64 bytes: a node
 *               can never be taken for a leaf), an odd last node moves up unchanged; the root of an empty list
 *               is SHA-256 of nothing
 *   commitment  SHA-256(seed), published before registration opens; the seed is revealed at the draw
 *   stream      block i = SHA-256(seed ‖ root ‖ uint64be(i)), read as big-endian 32-bit words
 *   uniform(m)  words ≥ 2^32 − (2^32 mod m) are rejected (no modulo bias), then word mod m
 *   winners     a partial Fisher–Yates shuffle of the list's positions: for i < k, swap i with
 *               i + uniform(n − i); the winners are the first k positions, k = min(stock, n)
 */
export const LOTTERY_ALGORITHM = 'quan-lottery';
export const LOTTERY_ALGORITHM_VERSION = 1;

const ENTRY_BYTES = 32;
const TWO_32 = 0x1_0000_0000;

const sha256 = (...parts: Uint8Array[]): Buffer => {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part);
  return hash.digest();
};

/** A new secret seed (32 random bytes, hex). */
export function newLotterySeed(): string {
  return randomBytes(32).toString('hex');
}

/** A new per-registration salt (16 random bytes, hex): it hides the identity behind the entry. */
export function newEntrySalt(): string {
  return randomBytes(16).toString('hex');
}

/** The published commitment to a seed. */
export function lotteryCommitment(seedHex: string): string {
  return sha256(Buffer.from(seedHex, 'hex')).toString('hex');
}

/** The anonymised entry of one registration. */
export function lotteryEntry(roundId: string, saltHex: string, identityRef: string): string {
  return sha256(Buffer.from(`quan-lottery/1 entry|${roundId}|${saltHex}|${identityRef}`, 'utf8')).toString('hex');
}

/** Entries (hex) as one buffer of 32-byte entries, in the order given. */
export function packEntries(entries: readonly string[]): Buffer {
  const packed = Buffer.alloc(entries.length * ENTRY_BYTES);
  entries.forEach((entry, i) => packed.write(entry, i * ENTRY_BYTES, ENTRY_BYTES, 'hex'));
  return packed;
}

/** The first position at which a list is not in canonical order (ascending, distinct), or -1. */
export function firstOutOfOrder(entries: readonly string[]): number {
  for (let i = 1; i < entries.length; i++) if (!(entries[i - 1] < entries[i])) return i;
  return -1;
}

/** The hashes of the Merkle tree's lowest level, packed. */
function leafLevel(packed: Buffer): Buffer {
  const n = packed.length / ENTRY_BYTES;
  const level = Buffer.alloc(packed.length);
  const leaf = Buffer.alloc(1 + ENTRY_BYTES);
  for (let i = 0; i < n; i++) {
    packed.copy(leaf, 1, i * ENTRY_BYTES, (i + 1) * ENTRY_BYTES);
    hash('sha256', leaf, 'buffer').copy(level, i * ENTRY_BYTES);
  }
  return level;
}

/** The level above: each pair is adjacent in `level`, so it is hashed in place. */
function parentLevel(level: Buffer): Buffer {
  const n = level.length / ENTRY_BYTES;
  const parents = Buffer.alloc(Math.ceil(n / 2) * ENTRY_BYTES);
  for (let i = 0; i + 1 < n; i += 2)
    hash('sha256', level.subarray(i * ENTRY_BYTES, (i + 2) * ENTRY_BYTES), 'buffer').copy(
      parents,
      (i / 2) * ENTRY_BYTES,
    );
  if (n % 2 === 1) level.copy(parents, ((n - 1) / 2) * ENTRY_BYTES, (n - 1) * ENTRY_BYTES);
  return parents;
}

/** Every level of the Merkle tree, the leaves' hashes first and the root last (packed 32-byte hashes). */
export function merkleLevels(packed: Buffer): Buffer[] {
  if (packed.length === 0) return [sha256()];
  const levels = [leafLevel(packed)];
  while (levels[levels.length - 1].length > ENTRY_BYTES) levels.push(parentLevel(levels[levels.length - 1]));
  return levels;
}

/** The Merkle root (hex) of a list of packed entries, in list order. */
export function merkleRoot(packed: Buffer): string {
  if (packed.length === 0) return sha256().toString('hex');
  let level = leafLevel(packed);
  while (level.length > ENTRY_BYTES) level = parentLevel(level);
  return level.toString('hex');
}

/** One step of an inclusion proof: the sibling's hash and on which side it sits. */
export interface MerkleStep {
  sibling: string;
  side: 'left' | 'right';
}

/** The inclusion proof of the entry at `index` (steps from the leaf up; a node moved up unchanged has none). */
export function merkleProof(levels: readonly Buffer[], index: number): MerkleStep[] {
  const steps: MerkleStep[] = [];
  let at = index;
  for (const level of levels.slice(0, -1)) {
    const n = level.length / ENTRY_BYTES;
    const sibling = at % 2 === 0 ? at + 1 : at - 1;
    if (sibling < n)
      steps.push({
        sibling: level.subarray(sibling * ENTRY_BYTES, (sibling + 1) * ENTRY_BYTES).toString('hex'),
        side: at % 2 === 0 ? 'right' : 'left',
      });
    at = Math.floor(at / 2);
  }
  return steps;
}

/** Whether `proof` leads from `entry` to `root`. */
export function verifyMerkleProof(entry: string, proof: readonly MerkleStep[], root: string): boolean {
  let node = sha256(Buffer.from([0]), Buffer.from(entry, 'hex'));
  for (const step of proof) {
    const sibling = Buffer.from(step.sibling, 'hex');
    node = step.side === 'right' ? sha256(node, sibling) : sha256(sibling, node);
  }
  return node.toString('hex') === root;
}

/** Uniform integers below m from the SHA-256 counter-mode stream of (seed, root). */
class DrawStream {
  private block: Buffer = Buffer.alloc(0);
  private offset = 0;
  private counter = 0n;
  private readonly prefix: Buffer;
  private readonly counterBytes = Buffer.alloc(8);

  constructor(seedHex: string, rootHex: string) {
    this.prefix = Buffer.concat([Buffer.from(seedHex, 'hex'), Buffer.from(rootHex, 'hex')]);
  }

  private word(): number {
    if (this.offset === this.block.length) {
      this.counterBytes.writeBigUInt64BE(this.counter++);
      this.block = sha256(this.prefix, this.counterBytes);
      this.offset = 0;
    }
    const word = this.block.readUInt32BE(this.offset);
    this.offset += 4;
    return word;
  }

  uniform(m: number): number {
    const limit = TWO_32 - (TWO_32 % m);
    for (;;) {
      const word = this.word();
      if (word < limit) return word % m;
    }
  }
}

/**
 * The winners: positions in the list (0-based), in the order drawn. `size` is the list's length,
 * `stock` how many may win; at most 2^32 entries.
 */
export function drawWinners(seedHex: string, rootHex: string, size: number, stock: number): number[] {
  const k = Math.min(Math.max(0, stock), size);
  const positions = new Uint32Array(size);
  for (let i = 0; i < size; i++) positions[i] = i;
  const stream = new DrawStream(seedHex, rootHex);
  for (let i = 0; i < k; i++) {
    const j = i + stream.uniform(size - i);
    const swap = positions[i];
    positions[i] = positions[j];
    positions[j] = swap;
  }
  return Array.from(positions.subarray(0, k));
}

/** What GET /rounds/{id}/lottery publishes, as far as the check needs it. */
export interface PublishedDraw {
  roundId: string;
  algorithm: string;
  algorithmVersion: number;
  commitment: string;
  seed: string | null;
  merkleRoot: string | null;
  stock: number;
  entries: string[];
  /** Winning entries, in the order drawn. */
  winners: string[];
}

/**
 * Recomputes a published draw and lists every difference (none: the draw holds). Checks the seed against
 * the commitment, the list's canonical order, the root, and the winners one by one.
 */
export function verifyDraw(draw: PublishedDraw): string[] {
  const problems: string[] = [];
  if (draw.algorithm !== LOTTERY_ALGORITHM || draw.algorithmVersion !== LOTTERY_ALGORITHM_VERSION)
    return [
      `algorithm ${draw.algorithm}/${draw.algorithmVersion} is not ${LOTTERY_ALGORITHM}/${LOTTERY_ALGORITHM_VERSION}`,
    ];
  if (!draw.seed || !draw.merkleRoot) return ['the draw has not taken place: no seed or root is published yet'];
  const commitment = lotteryCommitment(draw.seed);
  if (commitment !== draw.commitment)
    problems.push(`seed: SHA-256(seed) is ${commitment}, the commitment published is ${draw.commitment}`);
  const bad = draw.entries.findIndex((entry) => !/^[0-9a-f]{64}$/.test(entry));
  if (bad >= 0) problems.push(`entries[${bad}] is not 64 lower-case hex digits`);
  const unordered = firstOutOfOrder(draw.entries);
  if (unordered >= 0)
    problems.push(
      `list order: entries[${unordered}] does not sort after entries[${unordered - 1}] (ascending, distinct)`,
    );
  const root = merkleRoot(packEntries(draw.entries));
  if (root !== draw.merkleRoot) problems.push(`Merkle root: recomputed ${root}, published ${draw.merkleRoot}`);
  const expected = drawWinners(draw.seed, root, draw.entries.length, draw.stock).map((i) => draw.entries[i]);
  if (expected.length !== draw.winners.length)
    problems.push(`winners: ${expected.length} expected, ${draw.winners.length} published`);
  const shown = Math.max(expected.length, draw.winners.length);
  let listed = 0;
  for (let i = 0; i < shown && listed < 20; i++) {
    if (expected[i] !== draw.winners[i]) {
      problems.push(`winners[${i}]: expected ${expected[i] ?? '(none)'}, published ${draw.winners[i] ?? '(none)'}`);
      listed++;
    }
  }
  return problems;
}
