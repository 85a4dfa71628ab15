import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { LOTTERY_ALGORITHM, LOTTERY_ALGORITHM_VERSION, merkleLevels, merkleProof, packEntries } from '@quan/domain';
import { LotteryRound, LotteryRounds } from './lottery-rounds';
import { PublishedDrawDto, RegistrationReceiptDto } from './lottery.dto';

type Outcome = Pick<
  RegistrationReceiptDto,
  'status' | 'merkleRoot' | 'proof' | 'position' | 'rank' | 'issue' | 'claimId'
>;

/** A drawn round never changes: its published body and Merkle tree are kept, for the last few rounds read. */
interface Drawn {
  body: PublishedDrawDto;
  levels: Buffer[];
}

const DRAWN_KEPT = 2;

const NOT_DRAWN: Outcome = {
  status: 'registered',
  merkleRoot: null,
  proof: null,
  position: null,
  rank: null,
  issue: null,
  claimId: null,
};

interface DrawRow {
  commitment: string;
  committed_at: Date;
  seed: string;
  merkle_root: string | null;
  stock: number | null;
  drawn_at: Date | null;
}

/** The published draw of a round (GET /rounds/{id}/lottery) and each registrant's outcome with its proof. */
@Injectable()
export class PublishedDraws {
  private readonly drawn = new Map<string, Promise<Drawn>>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly rounds: LotteryRounds,
  ) {}

  async draw(round: LotteryRound): Promise<PublishedDrawDto> {
    const kept = this.drawn.get(round.id);
    if (kept) return (await kept).body;
    await this.rounds.commitment(round);
    const row = await this.drawRow(round.id);
    if (row.drawn_at) return (await this.keep(round, row)).body;
    const [{ registrations }] = (await this.dataSource.query(
      `SELECT count(*)::int AS registrations FROM lottery_registrations WHERE round_id = $1`,
      [round.id],
    )) as { registrations: number }[];
    return { ...this.head(round, row), registrations, stock: await this.stockLeft(round.id), entries: [], winners: [] };
  }

  /**
   * A registration's outcome: nothing before the draw; after it, its place in the list with the proof, and
   * whether it won. `inWindow`: the caller has just seen the registration window open, so the draw cannot
   * have happened and no query is needed (a registration in a surge).
   */
  async outcomeOf(round: LotteryRound, entry: string, registrationId: string, inWindow: boolean): Promise<Outcome> {
    if (inWindow) return NOT_DRAWN;
    let drawn = this.drawn.get(round.id);
    if (!drawn) {
      const row = await this.drawRow(round.id);
      if (!row.drawn_at) return NOT_DRAWN;
      drawn = this.keep(round, row);
    }
    const { body, levels } = await drawn;
    const position = sortedIndexOf(body.entries, entry);
    const [winner] = (await this.dataSource.query(
      `SELECT rank, outcome, claim_id FROM lottery_winners WHERE registration_id = $1`,
      [registrationId],
    )) as { rank: number; outcome: 'issued' | 'limit' | null; claim_id: string | null }[];
    return {
      status: winner ? 'won' : 'not_won',
      merkleRoot: body.merkleRoot,
      proof: position >= 0 ? merkleProof(levels, position) : null,
      position: position >= 0 ? position : null,
      rank: winner?.rank ?? null,
      issue: winner?.outcome ?? null,
      claimId: winner?.claim_id ?? null,
    };
  }

  private keep(round: LotteryRound, row: DrawRow): Promise<Drawn> {
    const drawn = this.load(round, row);
    this.drawn.set(round.id, drawn);
    drawn.catch(() => this.drawn.delete(round.id));
    while (this.drawn.size > DRAWN_KEPT) this.drawn.delete(this.drawn.keys().next().value!);
    return drawn;
  }

  private async load(round: LotteryRound, row: DrawRow): Promise<Drawn> {
    const entries = (
      (await this.dataSource.query(
        `SELECT entry FROM lottery_registrations WHERE round_id = $1 ORDER BY entry COLLATE "C"`,
        [round.id],
      )) as { entry: string }[]
    ).map((r) => r.entry);
    const winners = (
      (await this.dataSource.query(`SELECT entry FROM lottery_winners WHERE round_id = $1 ORDER BY rank`, [
        round.id,
      ])) as { entry: string }[]
    ).map((r) => r.entry);
    const body: PublishedDrawDto = {
      ...this.head(round, row),
      registrations: entries.length,
      stock: row.stock!,
      entries,
      winners,
    };
    return { body, levels: merkleLevels(packEntries(entries)) };
  }

  private head(round: LotteryRound, row: DrawRow) {
    return {
      roundId: round.id,
      campaignId: round.campaignId,
      roundName: round.name,
      algorithm: LOTTERY_ALGORITHM,
      algorithmVersion: LOTTERY_ALGORITHM_VERSION,
      commitment: row.commitment,
      committedAt: row.committed_at.toISOString(),
      registrationOpensAt: round.opensAt.toISOString(),
      registrationClosesAt: round.closesAt.toISOString(),
      drawAt: round.drawAt!.toISOString(),
      drawnAt: row.drawn_at?.toISOString() ?? null,
      // The seed stays secret until the draw.
      seed: row.drawn_at ? row.seed : null,
      merkleRoot: row.merkle_root,
    };
  }

  private async drawRow(roundId: string): Promise<DrawRow> {
    const [row] = (await this.dataSource.query(
      `SELECT commitment, committed_at, seed, merkle_root, stock, drawn_at FROM lottery_draws WHERE round_id = $1`,
      [roundId],
    )) as DrawRow[];
    return row;
  }

  private async stockLeft(roundId: string): Promise<number> {
    const [{ stock }] = (await this.dataSource.query(
      `SELECT coalesce(sum(stock - issued), 0)::int AS stock FROM round_offers WHERE round_id = $1`,
      [roundId],
    )) as { stock: number }[];
    return stock;
  }
}

/** The position of `entry` in an ascending list, or -1. */
function sortedIndexOf(entries: readonly string[], entry: string): number {
  let low = 0;
  let high = entries.length - 1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    if (entries[mid] === entry) return mid;
    if (entries[mid] < entry) low = mid + 1;
    else high = mid - 1;
  }
  return -1;
}
