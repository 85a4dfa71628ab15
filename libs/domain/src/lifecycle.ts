import { DomainError, ErrorCode } from './errors';
import { CampaignStatus, MerchantStatus } from './vocabulary';

/**
 * Lifecycles as state machines: for each action, the states it may start from and where it leads.
 * Anything not in the table is refused with a 409 code.
 */

export enum CampaignAction {
  /** Change the configuration (campaign fields, voucher types, rounds, offers): drafts only. */
  Edit = 'edit',
  Submit = 'submit',
  Approve = 'approve',
  Reject = 'reject',
  /** The clock: the campaign window has begun. */
  Start = 'start',
  /** The clock: the campaign window is over. */
  End = 'end',
  Archive = 'archive',
  /** Pause or resume, extend a window, add stock: allowed while published or running. */
  SafeChange = 'safe_change',
}

const CAMPAIGN_TRANSITIONS: Readonly<Record<CampaignAction, Partial<Record<CampaignStatus, CampaignStatus>>>> = {
  [CampaignAction.Edit]: { [CampaignStatus.Draft]: CampaignStatus.Draft },
  [CampaignAction.Submit]: { [CampaignStatus.Draft]: CampaignStatus.PendingApproval },
  [CampaignAction.Approve]: { [CampaignStatus.PendingApproval]: CampaignStatus.Published },
  [CampaignAction.Reject]: { [CampaignStatus.PendingApproval]: CampaignStatus.Draft },
  [CampaignAction.Start]: { [CampaignStatus.Published]: CampaignStatus.Running },
  [CampaignAction.End]: {
    [CampaignStatus.Published]: CampaignStatus.Ended,
    [CampaignStatus.Running]: CampaignStatus.Ended,
  },
  [CampaignAction.Archive]: { [CampaignStatus.Ended]: CampaignStatus.Archived },
  [CampaignAction.SafeChange]: {
    [CampaignStatus.Published]: CampaignStatus.Published,
    [CampaignStatus.Running]: CampaignStatus.Running,
  },
};

/** The status a campaign moves to under an action, or a 409 DomainError saying why it may not. */
export function campaignTransition(status: CampaignStatus, action: CampaignAction): CampaignStatus {
  const next = CAMPAIGN_TRANSITIONS[action][status];
  if (next !== undefined) return next;
  if (action === CampaignAction.Edit) {
    throw new DomainError(
      ErrorCode.CampaignNotEditable,
      `A ${status} campaign cannot be edited; after publishing only pause/resume, extending a window and adding stock are allowed`,
      { campaignStatus: status },
    );
  }
  if (action === CampaignAction.SafeChange) {
    throw new DomainError(
      ErrorCode.CampaignNotLive,
      `Only a published or running campaign can be paused, resumed, extended or given stock; this one is ${status}`,
      { campaignStatus: status },
    );
  }
  throw new DomainError(ErrorCode.CampaignInvalidTransition, `A ${status} campaign cannot ${action}`, {
    campaignStatus: status,
    action,
  });
}

/** Statuses the claim path treats as live (see CampaignCounters). */
export const LIVE_CAMPAIGN_STATUSES: ReadonlySet<CampaignStatus> = new Set([
  CampaignStatus.Published,
  CampaignStatus.Running,
]);

/** Maker-checker: nobody who made or changed the configuration may approve it. */
export function assertCheckerIsNotMaker(makerIds: readonly string[], checkerId: string): void {
  if (makerIds.includes(checkerId)) {
    throw new DomainError(
      ErrorCode.ApproverIsMaker,
      'You made or changed this campaign, so another operator must approve it',
    );
  }
}

/** What the clock does to a campaign at `now`: start it, end it, or nothing. */
export function dueClockAction(
  status: CampaignStatus,
  startsAt: Date,
  endsAt: Date,
  now: Date,
): CampaignAction.Start | CampaignAction.End | null {
  if ((status === CampaignStatus.Published || status === CampaignStatus.Running) && endsAt <= now)
    return CampaignAction.End;
  if (status === CampaignStatus.Published && startsAt <= now) return CampaignAction.Start;
  return null;
}

export enum MerchantAction {
  Approve = 'approve',
  Reject = 'reject',
  Suspend = 'suspend',
  Reinstate = 'reinstate',
  /** The merchant corrects its application after a rejection (or while pending). */
  Resubmit = 'resubmit',
}

const MERCHANT_TRANSITIONS: Readonly<Record<MerchantAction, Partial<Record<MerchantStatus, MerchantStatus>>>> = {
  [MerchantAction.Approve]: { [MerchantStatus.Pending]: MerchantStatus.Approved },
  [MerchantAction.Reject]: { [MerchantStatus.Pending]: MerchantStatus.Rejected },
  [MerchantAction.Suspend]: { [MerchantStatus.Approved]: MerchantStatus.Suspended },
  [MerchantAction.Reinstate]: { [MerchantStatus.Suspended]: MerchantStatus.Approved },
  [MerchantAction.Resubmit]: {
    [MerchantStatus.Pending]: MerchantStatus.Pending,
    [MerchantStatus.Rejected]: MerchantStatus.Pending,
  },
};

export function merchantTransition(status: MerchantStatus, action: MerchantAction): MerchantStatus {
  const next = MERCHANT_TRANSITIONS[action][status];
  if (next === undefined)
    throw new DomainError(ErrorCode.MerchantInvalidTransition, `A ${status} merchant cannot ${action}`, {
      merchantStatus: status,
      action,
    });
  return next;
}
