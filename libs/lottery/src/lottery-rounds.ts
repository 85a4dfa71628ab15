import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CampaignStatus, RoundMode } from '@quan/data';
import { lotteryCommitment, newLotterySeed } from '@quan/domain';

/** A round as the lottery sees it: its campaign's state, its window and its draw time. */
export interface LotteryRound {
  id: string;
  campaignId: string;
  name: string;
  mode: RoundMode;
  /** The registration window is the round's own window: opensAt (inclusive) to closesAt (exclusive). */
  opensAt: Date;
  closesAt: Date;
  drawAt: Date | null;
  /** Its campaign is published or running: residents may register. */
  live: boolean;
  /** Its campaign was published at some point: its draw may be read. */
  visible: boolean;
}

interface RoundRow {
  id: string;
  campaign_id: string;
  name: string;
  mode: RoundMode;
  opens_at: Date;
  closes_at: Date;
  draw_at: Date | null;
  status: CampaignStatus;
}

/** Rounds are looked up once per this long per process: the registration path costs no query in a surge. */
const ROUND_TTL_MS = 2000;

/**
 * Lottery rounds and their commitments. A round's seed is drawn and committed to (lottery_draws) the first
 * time anyone needs it: the worker's clock as soon as the campaign is published, or the first registration
 * or reading, whichever comes first; the first commitment written stays (ON CONFLICT DO NOTHING).
 */
@Injectable()
export class LotteryRounds {
  private readonly rounds = new Map<string, { at: number; round: Promise<LotteryRound | undefined> }>();
  private readonly commitments = new Map<string, string>();

  constructor(private readonly dataSource: DataSource) {}

  /** The round, whatever its mode, if its campaign exists (live says whether it is published or running). */
  get(roundId: string): Promise<LotteryRound | undefined> {
    const cached = this.rounds.get(roundId);
    if (cached && Date.now() - cached.at < ROUND_TTL_MS) return cached.round;
    const round = this.query(roundId);
    this.rounds.set(roundId, { at: Date.now(), round });
    round.catch(() => this.rounds.delete(roundId));
    return round;
  }

  private async query(roundId: string): Promise<LotteryRound | undefined> {
    const [row] = (await this.dataSource.query(
      `SELECT r.id, r.campaign_id, r.name, r.mode, r.opens_at, r.closes_at, r.draw_at, c.status
         FROM rounds r JOIN campaigns c ON c.id = r.campaign_id WHERE r.id = $1`,
      [roundId],
    )) as RoundRow[];
    if (!row) return undefined;
    return {
      id: row.id,
      campaignId: row.campaign_id,
      name: row.name,
      mode: row.mode,
      opensAt: row.opens_at,
      closesAt: row.closes_at,
      drawAt: row.draw_at,
      live: [CampaignStatus.Published, CampaignStatus.Running].includes(row.status),
      visible: ![CampaignStatus.Draft, CampaignStatus.PendingApproval].includes(row.status),
    };
  }

  /** The round's commitment, committing to a new seed if it has none yet. */
  async commitment(round: { id: string; campaignId: string }): Promise<string> {
    const known = this.commitments.get(round.id);
    if (known) return known;
    const seed = newLotterySeed();
    await this.dataSource.query(
      `INSERT INTO lottery_draws (round_id, campaign_id, seed, commitment) VALUES ($1, $2, $3, $4) ON CONFLICT (round_id) DO NOTHING`,
      [round.id, round.campaignId, seed, lotteryCommitment(seed)],
    );
    const [row] = (await this.dataSource.query(`SELECT commitment FROM lottery_draws WHERE round_id = $1`, [
      round.id,
    ])) as { commitment: string }[];
    this.commitments.set(round.id, row.commitment);
    return row.commitment;
  }

  /** Commits to a seed for every lottery round of a published or running campaign that has none yet. */
  async commitDue(): Promise<number> {
    const rounds = (await this.dataSource.query(
      `SELECT r.id, r.campaign_id FROM rounds r JOIN campaigns c ON c.id = r.campaign_id
        WHERE r.mode = $1 AND c.status IN ($2, $3)
          AND NOT EXISTS (SELECT 1 FROM lottery_draws d WHERE d.round_id = r.id)`,
      [RoundMode.Lottery, CampaignStatus.Published, CampaignStatus.Running],
    )) as { id: string; campaign_id: string }[];
    for (const round of rounds) await this.commitment({ id: round.id, campaignId: round.campaign_id });
    return rounds.length;
  }
}
