import { BadRequestException, NotFoundException, PayloadTooLargeException } from '@nestjs/common';
import { commitOutcomeUnknown, StatementNotSent } from '@quan/data';
import { DomainError, ErrorCode, ErrorDetails } from '@quan/domain';
import { classifyError, HTTP_STATUS_BY_CODE, toProblem } from './problem';

describe('problem details', () => {
  it('maps every error code to a 4xx or 5xx status', () => {
    for (const code of Object.values(ErrorCode)) {
      expect(HTTP_STATUS_BY_CODE[code]).toBeGreaterThanOrEqual(400);
      expect(HTTP_STATUS_BY_CODE[code]).toBeLessThan(600);
    }
  });

  describe('chooses 400, 409 or 422 by one rule (docs/api-conventions.md), for every code', () => {
    /** Refused because of the current state of what the request acts on, which time or other requests change. */
    const state = [
      ErrorCode.Conflict,
      ErrorCode.AlreadyExists,
      ErrorCode.IdentityAlreadyVerified,
      ErrorCode.IdentityPhonesExceeded,
      ErrorCode.RequestInProgress,
      ErrorCode.SoldOut,
      ErrorCode.LimitReached,
      ErrorCode.RoundNotOpen,
      ErrorCode.RoundClosed,
      ErrorCode.MerchantInvalidTransition,
      ErrorCode.MerchantNotApproved,
      ErrorCode.CampaignInvalidTransition,
      ErrorCode.CampaignNotEditable,
      ErrorCode.CampaignNotLive,
      ErrorCode.CampaignIncomplete,
      ErrorCode.UnsafeChange,
      ErrorCode.TokenExpired,
      ErrorCode.AlreadyRedeemed,
      ErrorCode.VoucherExpired,
      ErrorCode.VoucherNotYetValid,
      ErrorCode.VoucherRevoked,
      ErrorCode.BudgetExhausted,
      ErrorCode.MerchantLimitReached,
      ErrorCode.ReversalWindowClosed,
      ErrorCode.StatementInvalidTransition,
      ErrorCode.NothingToPay,
      ErrorCode.PayoutAlreadyMarked,
      ErrorCode.BusinessDayNotOver,
      ErrorCode.CampaignNotDeletable,
      ErrorCode.RoundIsLottery,
      ErrorCode.RoundNotLottery,
      ErrorCode.SettlementHeld,
      ErrorCode.RiskFlagInvalidTransition,
    ];
    /** Otherwise: a rule the client can check before sending, from the API document and what the API shows it. */
    const input = [
      ErrorCode.ValidationFailed,
      ErrorCode.InvalidIdNumber,
      ErrorCode.InvalidLicenceNo,
      ErrorCode.ShortCodeInvalid,
      ErrorCode.UnknownReference,
      ErrorCode.RoleBindingInvalid,
      ErrorCode.CampaignWindowInvalid,
      ErrorCode.LimitsInconsistent,
      ErrorCode.EligibilityOutsideScope,
      ErrorCode.EligibilityConflict,
      ErrorCode.DiscountRuleInvalid,
      ErrorCode.ThresholdNotAboveDiscount,
      ErrorCode.PercentOffOutOfRange,
      ErrorCode.PercentCapRequired,
      ErrorCode.SubsidyShareInvalid,
      ErrorCode.VoucherCategoryNotEligible,
      ErrorCode.ValidityInvalid,
      ErrorCode.ValidityOutsideCampaign,
      ErrorCode.RoundWindowInvalid,
      ErrorCode.RoundOutsideCampaign,
      ErrorCode.RoundsOverlap,
      ErrorCode.LotteryDrawInvalid,
      ErrorCode.OfferInvalid,
      ErrorCode.RollForwardInvalid,
      ErrorCode.BudgetExceeded,
      ErrorCode.RiskRuleParametersInvalid,
    ];
    /** Otherwise: valid as far as the client can tell, refused in every state, for a reason only the server can judge. */
    const judged = [
      ErrorCode.TokenInvalid,
      ErrorCode.IdempotencyKeyReused,
      ErrorCode.ThresholdNotMet,
      ErrorCode.MerchantNotEligible,
      ErrorCode.CategoryNotEligible,
      ErrorCode.IdentityNotConfirmed,
    ];
    const codesWith = (status: number) =>
      Object.values(ErrorCode)
        .filter((code) => HTTP_STATUS_BY_CODE[code] === status)
        .sort();

    it('409 for the current state, an expired QR token among them', () => {
      expect(codesWith(409)).toEqual([...state].sort());
    });

    it("400 for what the client can check itself, a short code's check symbol among them", () => {
      expect(codesWith(400)).toEqual([...input].sort());
    });

    it('422 for what only the server can judge, a QR token it did not issue among them', () => {
      expect(codesWith(422)).toEqual([...judged].sort());
    });
  });

  it('keeps a domain error code, message and details', () => {
    const source = classifyError(new DomainError(ErrorCode.CountyNotFound, 'No county x', { county: 'x' }));
    expect(source).toEqual({
      status: 404,
      code: 'COUNTY_NOT_FOUND',
      detail: 'No county x',
      extensions: { county: 'x' },
    });
  });

  it('gives framework 4xx errors a code by status', () => {
    expect(classifyError(new NotFoundException()).code).toBe(ErrorCode.NotFound);
    expect(classifyError(new BadRequestException()).code).toBe(ErrorCode.ValidationFailed);
    expect(classifyError(new PayloadTooLargeException()).code).toBe(ErrorCode.PayloadTooLarge);
  });

  it('turns lost Postgres or Redis connections into 503 UNAVAILABLE', () => {
    expect(
      classifyError(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:6379'), { code: 'ECONNREFUSED' })).status,
    ).toBe(503);
    expect(classifyError(new Error('Connection is closed.')).code).toBe(ErrorCode.Unavailable);
    expect(classifyError(new Error('Command timed out')).code).toBe(ErrorCode.Unavailable);
    expect(classifyError(new Error('CLUSTERDOWN The cluster is down')).code).toBe(ErrorCode.Unavailable);
    expect(classifyError(new Error('Failed to refresh slots cache.')).code).toBe(ErrorCode.Unavailable);
  });

  it('answers a request shed by the admission gate 503 BUSY, with the wait the gate chose', () => {
    const source = classifyError(new DomainError(ErrorCode.Busy, 'At capacity', { retryAfterSeconds: 3 }));
    expect(source).toMatchObject({ status: 503, code: ErrorCode.Busy, extensions: { retryAfterSeconds: 3 } });
  });

  it('turns a Postgres that does not answer in time into 503 UNAVAILABLE', () => {
    expect(
      classifyError(Object.assign(new Error('canceling statement due to statement timeout'), { code: '57014' })).status,
    ).toBe(503);
    expect(classifyError(new Error('Query read timeout')).status).toBe(503);
  });

  it('turns a statement that could not be sent into 503 UNAVAILABLE, whatever the connection failed with', () => {
    const tooMany = Object.assign(new Error('sorry, too many clients already'), { code: '53300' });
    expect(classifyError(tooMany).status).toBe(500);
    expect(classifyError(new StatementNotSent(tooMany))).toMatchObject({ status: 503, code: ErrorCode.Unavailable });
    expect(commitOutcomeUnknown(new StatementNotSent(new Error('Connection terminated unexpectedly')))).toBe(false);
  });

  it('turns every failure that may have left a statement committed into 503 UNAVAILABLE', () => {
    // A batch that fails this way is failed whole (GroupCommit's failsEveryItem), never sent again in halves.
    const answerLost = [
      Object.assign(new Error('terminating connection due to crash of another server process'), { code: '57P02' }),
      new Error('Received unexpected commandComplete message from backend.'),
      new Error('Connection terminated unexpectedly'),
    ];
    for (const error of answerLost) {
      expect(commitOutcomeUnknown(error)).toBe(true);
      expect(classifyError(error).status).toBe(503);
    }
  });

  it('hides the message of unexpected errors behind 500 INTERNAL', () => {
    const source = classifyError(new TypeError('cannot read x of undefined'));
    expect(source.status).toBe(500);
    expect(source.code).toBe(ErrorCode.Internal);
    expect(source.detail).not.toContain('undefined');
  });

  it('never lets an extension overwrite a standard member', () => {
    // Details from JSON or a cast escape the compile-time check.
    const untyped = JSON.parse(
      '{"status":"running","type":"x","title":"x","detail":"x","instance":"x","code":"x","requestId":"x","campaignStatus":"running"}',
    ) as ErrorDetails;
    const problem = toProblem(
      classifyError(new DomainError(ErrorCode.CampaignNotEditable, 'frozen', untyped)),
      'req-1',
      '/api/v1/campaigns/c',
    );
    expect(problem).toEqual({
      type: 'urn:quan:problem:campaign-not-editable',
      title: 'Conflict',
      status: 409,
      code: 'CAMPAIGN_NOT_EDITABLE',
      detail: 'frozen',
      instance: '/api/v1/campaigns/c',
      requestId: 'req-1',
      campaignStatus: 'running',
    });
  });

  it('refuses, at compile time, details named like a standard member and money that is not a number', () => {
    // The build type-checks this file: each line below compiles only while ErrorDetails refuses it.
    const clashing = () =>
      // @ts-expect-error `status` is the HTTP status, never a detail
      new DomainError(ErrorCode.CampaignInvalidTransition, 'x', { status: 'draft' });
    const moneyAsText = () =>
      // @ts-expect-error money in details is an integer number of fen, not a string
      new DomainError(ErrorCode.BudgetExceeded, 'x', { worstCaseSubsidyFen: '400000' });
    expect(toProblem(classifyError(clashing()), 'req-1', '/x').status).toBe(409);
    expect(moneyAsText().details).toEqual({ worstCaseSubsidyFen: '400000' });
  });

  it('renders RFC 9457 fields with the request id', () => {
    const problem = toProblem(classifyError(new DomainError(ErrorCode.Conflict, 'busy')), 'req-1', '/api/v1/x');
    expect(problem).toMatchObject({
      type: 'urn:quan:problem:conflict',
      title: 'Conflict',
      status: 409,
      code: 'CONFLICT',
      instance: '/api/v1/x',
      requestId: 'req-1',
    });
  });
});
