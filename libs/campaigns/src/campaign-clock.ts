import { Injectable, Logger } from '@nestjs/common';
import { DataSource, In, LessThanOrEqual } from 'typeorm';
import { Campaign } from '@quan/data';
import { CampaignAction, CampaignStatus, DomainError, dueClockAction, ErrorCode } from '@quan/domain';
import { CampaignWriter, NOTHING_TO_PERSIST } from './campaign-writer';

export interface ClockTransition {
  campaignId: string;
  action: CampaignAction.Start | CampaignAction.End;
}

/**
 * Moves published campaigns to running when their window begins, and published or running ones to
 * ended when it is over, as the system actor (audited). Safe to run on several worker replicas at once:
 * each campaign is re-checked under its row lock.
 */
@Injectable()
export class CampaignClock {
  private readonly logger = new Logger(CampaignClock.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly writer: CampaignWriter,
  ) {}

  async tick(now = new Date()): Promise<ClockTransition[]> {
    const due = await this.dataSource.getRepository(Campaign).find({
      where: [
        { status: In([CampaignStatus.Published, CampaignStatus.Running]), endsAt: LessThanOrEqual(now) },
        { status: CampaignStatus.Published, startsAt: LessThanOrEqual(now) },
      ],
      select: { id: true, status: true, startsAt: true, endsAt: true },
    });
    const done: ClockTransition[] = [];
    for (const candidate of due) {
      const action = dueClockAction(candidate.status, candidate.startsAt, candidate.endsAt, now);
      if (action === null) continue;
      try {
        await this.writer.change(null, candidate.id, {
          action,
          audit: `campaign.${action}`,
          apply: ({ campaign }) => {
            if (dueClockAction(campaign.status, campaign.startsAt, campaign.endsAt, now) !== action) {
              throw new DomainError(ErrorCode.Conflict, 'The campaign is no longer due for this transition');
            }
            return NOTHING_TO_PERSIST;
          },
        });
        done.push({ campaignId: candidate.id, action });
      } catch (error) {
        // Another replica got there first, or an operator extended the window meanwhile: nothing to do.
        const overtaken =
          error instanceof DomainError &&
          (error.code === ErrorCode.CampaignInvalidTransition || error.code === ErrorCode.Conflict);
        if (!overtaken)
          this.logger.warn(
            { campaignId: candidate.id, action, err: error instanceof Error ? error.message : String(error) },
            'campaign clock transition failed',
          );
      }
    }
    return done;
  }
}
