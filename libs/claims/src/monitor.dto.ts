import { ApiProperty } from '@nestjs/swagger';
import { RoundMode } from '@quan/data';
import { ErrorCode } from '@quan/domain';
import { ApiDateTime, ApiInteger } from '@quan/platform';

/** The seconds the monitor's series covers, and the recent ones the claim rate is taken over. */
export const SERIES_SECONDS = 300;
export const RATE_SECONDS = 10;

export enum MonitoredRoundStatus {
  Upcoming = 'upcoming',
  Open = 'open',
  Paused = 'paused',
  Closed = 'closed',
}

export class MonitoredOfferDto {
  @ApiProperty({ format: 'uuid' })
  offerId!: string;

  @ApiProperty({ example: '满减券包' })
  name!: string;

  @ApiInteger({ minimum: 0, example: 200000, description: 'Packs (份) the offer has' })
  stock!: number;

  @ApiInteger({ minimum: 0, example: 1500, description: 'Packs claimed' })
  claimed!: number;

  @ApiInteger({ minimum: 0, example: 198500, description: 'Packs left, as the claim script counts them' })
  remaining!: number;
}

export class RefusalCountDto {
  @ApiProperty({ enum: ErrorCode, enumName: 'ErrorCode' })
  code!: ErrorCode;

  @ApiInteger({ minimum: 1, example: 42 })
  count!: number;
}

/** Claims and refusals per second, oldest first; the last second is the newest that every api process has reported. */
export class ActivitySeriesDto {
  @ApiDateTime({ example: '2026-05-01T09:55:58.000Z', description: 'The first second of the series' })
  from!: string;

  @ApiProperty({
    type: 'array',
    items: { type: 'integer', minimum: 0 },
    description: `Claims answered 201 in each of ${SERIES_SECONDS} seconds`,
  })
  claims!: number[];

  @ApiProperty({
    type: 'array',
    items: { type: 'integer', minimum: 0 },
    description: 'Refused claims in each of those seconds',
  })
  refusals!: number[];
}

export class MonitoredRoundDto {
  @ApiProperty({ format: 'uuid' })
  roundId!: string;

  @ApiProperty({ example: '第一场' })
  name!: string;

  @ApiProperty({ enum: RoundMode, enumName: 'RoundMode' })
  mode!: RoundMode;

  @ApiProperty({
    enum: MonitoredRoundStatus,
    enumName: 'MonitoredRoundStatus',
    description: 'paused: within its window but paused, or its campaign is not live',
  })
  status!: MonitoredRoundStatus;

  @ApiDateTime({ example: '2026-05-01T10:00:00+08:00' })
  opensAt!: string;

  @ApiDateTime({ example: '2026-05-01T22:00:00+08:00' })
  closesAt!: string;

  @ApiInteger({ minimum: 0, example: 1500, description: 'Packs claimed in the round (all offers)' })
  claimed!: number;

  @ApiInteger({
    minimum: 0,
    example: 850,
    description: `Claims per second over the last ${RATE_SECONDS} seconds of the series, rounded`,
  })
  claimsPerSecond!: number;

  @ApiInteger({
    nullable: true,
    minimum: 0,
    example: 234,
    description:
      `Seconds until the round's packs are all claimed at the rate of the last ${RATE_SECONDS} seconds; ` +
      'null when nothing was claimed then (0 once sold out)',
  })
  sellOutInSeconds!: number | null;

  @ApiProperty({ type: [MonitoredOfferDto] })
  offers!: MonitoredOfferDto[];

  @ApiProperty({ type: ActivitySeriesDto })
  perSecond!: ActivitySeriesDto;

  @ApiProperty({
    type: [RefusalCountDto],
    description: 'Refused claims of the round by problem code, most frequent first',
  })
  refusals!: RefusalCountDto[];
}

export class CampaignMonitorDto {
  @ApiProperty({ format: 'uuid' })
  campaignId!: string;

  @ApiProperty({ example: '秦乐购·第七期消费券' })
  campaignName!: string;

  @ApiDateTime({ example: '2026-05-01T10:03:00.000Z', description: 'When these figures were read' })
  serverTime!: string;

  @ApiProperty({
    type: [MonitoredRoundDto],
    description: 'Rounds open, opening within 7 days, or closed within the last day; soonest first',
  })
  rounds!: MonitoredRoundDto[];
}
