import { DomainError, ErrorCode } from './errors';
import {
  assertCheckerIsNotMaker,
  CampaignAction,
  campaignTransition,
  dueClockAction,
  MerchantAction,
  merchantTransition,
} from './lifecycle';
import { CampaignStatus, MerchantStatus } from './vocabulary';

const S = CampaignStatus;
const A = CampaignAction;

function outcome(run: () => string): string {
  try {
    return run();
  } catch (error) {
    if (error instanceof DomainError) return error.code;
    throw error;
  }
}

describe('campaign lifecycle', () => {
  // Every (status, action) pair: the status it leads to, or the 409 code it is refused with.
  const expected: Record<CampaignStatus, Record<CampaignAction, string>> = {
    [S.Draft]: {
      edit: S.Draft,
      submit: S.PendingApproval,
      approve: 'CAMPAIGN_INVALID_TRANSITION',
      reject: 'CAMPAIGN_INVALID_TRANSITION',
      start: 'CAMPAIGN_INVALID_TRANSITION',
      end: 'CAMPAIGN_INVALID_TRANSITION',
      archive: 'CAMPAIGN_INVALID_TRANSITION',
      safe_change: 'CAMPAIGN_NOT_LIVE',
    },
    [S.PendingApproval]: {
      edit: 'CAMPAIGN_NOT_EDITABLE',
      submit: 'CAMPAIGN_INVALID_TRANSITION',
      approve: S.Published,
      reject: S.Draft,
      start: 'CAMPAIGN_INVALID_TRANSITION',
      end: 'CAMPAIGN_INVALID_TRANSITION',
      archive: 'CAMPAIGN_INVALID_TRANSITION',
      safe_change: 'CAMPAIGN_NOT_LIVE',
    },
    [S.Published]: {
      edit: 'CAMPAIGN_NOT_EDITABLE',
      submit: 'CAMPAIGN_INVALID_TRANSITION',
      approve: 'CAMPAIGN_INVALID_TRANSITION',
      reject: 'CAMPAIGN_INVALID_TRANSITION',
      start: S.Running,
      end: S.Ended,
      archive: 'CAMPAIGN_INVALID_TRANSITION',
      safe_change: S.Published,
    },
    [S.Running]: {
      edit: 'CAMPAIGN_NOT_EDITABLE',
      submit: 'CAMPAIGN_INVALID_TRANSITION',
      approve: 'CAMPAIGN_INVALID_TRANSITION',
      reject: 'CAMPAIGN_INVALID_TRANSITION',
      start: 'CAMPAIGN_INVALID_TRANSITION',
      end: S.Ended,
      archive: 'CAMPAIGN_INVALID_TRANSITION',
      safe_change: S.Running,
    },
    [S.Ended]: {
      edit: 'CAMPAIGN_NOT_EDITABLE',
      submit: 'CAMPAIGN_INVALID_TRANSITION',
      approve: 'CAMPAIGN_INVALID_TRANSITION',
      reject: 'CAMPAIGN_INVALID_TRANSITION',
      start: 'CAMPAIGN_INVALID_TRANSITION',
      end: 'CAMPAIGN_INVALID_TRANSITION',
      archive: S.Archived,
      safe_change: 'CAMPAIGN_NOT_LIVE',
    },
    [S.Archived]: {
      edit: 'CAMPAIGN_NOT_EDITABLE',
      submit: 'CAMPAIGN_INVALID_TRANSITION',
      approve: 'CAMPAIGN_INVALID_TRANSITION',
      reject: 'CAMPAIGN_INVALID_TRANSITION',
      start: 'CAMPAIGN_INVALID_TRANSITION',
      end: 'CAMPAIGN_INVALID_TRANSITION',
      archive: 'CAMPAIGN_INVALID_TRANSITION',
      safe_change: 'CAMPAIGN_NOT_LIVE',
    },
  };

  it.each(Object.values(S).flatMap((status) => Object.values(A).map((action) => [status, action] as const)))(
    '%s + %s',
    (status, action) => {
      expect(outcome(() => campaignTransition(status, action))).toBe(expected[status][action]);
    },
  );

  it('refuses an approver who made or changed the campaign', () => {
    expect(() => assertCheckerIsNotMaker(['author', 'editor'], 'checker')).not.toThrow();
    expect(
      outcome(() => {
        assertCheckerIsNotMaker(['author', 'editor'], 'editor');
        return 'approved';
      }),
    ).toBe(ErrorCode.ApproverIsMaker);
  });

  it('starts a published campaign when its window begins and ends it when the window is over', () => {
    const starts = new Date('2026-05-01T00:00:00+08:00');
    const ends = new Date('2026-05-31T00:00:00+08:00');
    const before = new Date('2026-04-30T23:59:59+08:00');
    const during = new Date('2026-05-10T00:00:00+08:00');
    expect(dueClockAction(S.Published, starts, ends, before)).toBeNull();
    expect(dueClockAction(S.Published, starts, ends, during)).toBe(A.Start);
    expect(dueClockAction(S.Running, starts, ends, during)).toBeNull();
    expect(dueClockAction(S.Running, starts, ends, ends)).toBe(A.End);
    expect(dueClockAction(S.Published, starts, ends, ends)).toBe(A.End);
    expect(dueClockAction(S.Draft, starts, ends, ends)).toBeNull();
    expect(dueClockAction(S.PendingApproval, starts, ends, during)).toBeNull();
  });
});

describe('merchant lifecycle', () => {
  it.each<[MerchantStatus, MerchantAction, string]>([
    [MerchantStatus.Pending, MerchantAction.Approve, MerchantStatus.Approved],
    [MerchantStatus.Pending, MerchantAction.Reject, MerchantStatus.Rejected],
    [MerchantStatus.Rejected, MerchantAction.Resubmit, MerchantStatus.Pending],
    [MerchantStatus.Approved, MerchantAction.Suspend, MerchantStatus.Suspended],
    [MerchantStatus.Suspended, MerchantAction.Reinstate, MerchantStatus.Approved],
    [MerchantStatus.Approved, MerchantAction.Approve, 'MERCHANT_INVALID_TRANSITION'],
    [MerchantStatus.Rejected, MerchantAction.Approve, 'MERCHANT_INVALID_TRANSITION'],
    [MerchantStatus.Pending, MerchantAction.Suspend, 'MERCHANT_INVALID_TRANSITION'],
    [MerchantStatus.Approved, MerchantAction.Resubmit, 'MERCHANT_INVALID_TRANSITION'],
    [MerchantStatus.Approved, MerchantAction.Reinstate, 'MERCHANT_INVALID_TRANSITION'],
  ])('%s + %s -> %s', (status, action, result) => {
    expect(outcome(() => merchantTransition(status, action))).toBe(result);
  });
});
