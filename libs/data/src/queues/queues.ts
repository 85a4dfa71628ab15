import { JobsOptions } from 'bullmq';

/** Every BullMQ queue of Quan. Producers and processors refer to queues only through this enum. */
export enum QueueName {
  System = 'system',
  /** Redemptions and reversals relayed from the outbox, for settlement. */
  Settlement = 'settlement',
}

export enum SystemJob {
  Heartbeat = 'heartbeat',
  /** Starts and ends campaigns as their windows begin and end. */
  CampaignClock = 'campaign-clock',
  /** Commits to lottery rounds' seeds, draws the rounds whose time has come, gives the winners their vouchers. */
  Lottery = 'lottery',
  /** Moves committed outbox rows onto the settlement queue. */
  OutboxRelay = 'outbox-relay',
  /** Expires vouchers past validity and rolls their value and unclaimed stock into later rounds. */
  Expiry = 'voucher-expiry',
  /** Checks that counters, redemptions, settlement and spend agree, and stores a report. */
  Reconciliation = 'reconciliation',
  /** Writes the audit chain's head into the log as an anchor entry. */
  AuditAnchor = 'audit-anchor',
  /** Counts committed claims into the reports (claims have no outbox event) and folds in redemptions written without one. */
  Reports = 'reports',
  /** Folds redemptions written without an outbox event into the risk aggregates and scores what changed. */
  Risk = 'risk',
}

/** Jobs of the settlement queue: one per outbox message, named after its topic, plus the daily run. */
export enum SettlementJob {
  Redeemed = 'redemption.redeemed',
  Reversed = 'redemption.reversed',
  /** Builds the statements of one business day (T+1). */
  SettleDay = 'settle-day',
}

/** The topics an outbox row can have: the settlement jobs that announce a redemption or a reversal. */
export type OutboxTopic = SettlementJob.Redeemed | SettlementJob.Reversed;

/** What a redemption or reversal announces through the outbox (money as integer fen in a string-safe number). */
export interface RedemptionEvent {
  redemptionId: string;
  campaignId: string;
  merchantId: string;
  /** The business day (YYYY-MM-DD, Asia/Shanghai) the redemption, or the reversal, happened on. */
  businessDay: string;
  subsidyFen: number;
  /** W3C traceparent of the request that wrote it, while tracing is on: the job's span continues that trace. */
  trace?: string;
}

/**
 * The SQL expression of a RedemptionEvent's outbox payload, from SQL expressions of its fields (columns or
 * parameters; `businessDay` a date or YYYY-MM-DD text). `trace` is left out when null.
 */
export function redemptionEventSql(
  fields: Record<Exclude<keyof RedemptionEvent, 'trace'>, string> & { trace?: string },
): string {
  const event =
    `jsonb_build_object('redemptionId', ${fields.redemptionId}, 'campaignId', ${fields.campaignId}, ` +
    `'merchantId', ${fields.merchantId}, 'businessDay', ${fields.businessDay}, 'subsidyFen', ${fields.subsidyFen})`;
  return fields.trace ? `${event} || jsonb_strip_nulls(jsonb_build_object('trace', ${fields.trace}))` : event;
}

/** Payload of each job, by job name. */
export interface JobPayloads {
  [SystemJob.Heartbeat]: { scheduledBy: string };
  [SystemJob.CampaignClock]: { scheduledBy: string };
  [SystemJob.Lottery]: { scheduledBy: string };
  [SystemJob.OutboxRelay]: { scheduledBy: string };
  /** With `runId`, a run asked for through the API (settlement_runs), whose state the job records. */
  [SystemJob.Reconciliation]: { scheduledBy: string; runId?: string };
  [SystemJob.Expiry]: { scheduledBy: string };
  [SystemJob.AuditAnchor]: { scheduledBy: string };
  [SystemJob.Reports]: { scheduledBy: string };
  [SystemJob.Risk]: { scheduledBy: string };
  [SettlementJob.Redeemed]: RedemptionEvent;
  [SettlementJob.Reversed]: RedemptionEvent;
  /** Without a day, the business day before the one the job was scheduled in. */
  [SettlementJob.SettleDay]: { businessDay?: string; runId?: string };
}

/** The BullMQ job id of an outbox message: the same message always becomes the same job. */
export const outboxJobId = (outboxId: string): string => `outbox-${outboxId}`;

/** The BullMQ job id of a run asked for through the API: asking again for the same run adds no second job. */
export const runJobId = (runId: string): string => `run-${runId}`;

/** Retries with backoff, and retention by age and count so Redis does not fill up with old jobs. */
export const DEFAULT_JOB_OPTIONS: JobsOptions = {
  attempts: 5,
  backoff: { type: 'exponential', delay: 1000 },
  removeOnComplete: { age: 24 * 3600, count: 1000 },
  removeOnFail: { age: 7 * 24 * 3600, count: 10000 },
};

/** One hash tag for all queue keys, so BullMQ's multi-key scripts stay in one Redis Cluster slot. */
export function queuePrefix(redisKeyPrefix: string): string {
  return `{${redisKeyPrefix}:bull}`;
}
