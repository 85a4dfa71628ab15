import { HttpStatus } from '@nestjs/common';
import { commitOutcomeUnknown, StatementNotSent } from '@quan/data';
import { DomainError, ErrorCode } from '@quan/domain';

/** The one table from error code to HTTP status. Adding an ErrorCode without a status fails to compile. */
export const HTTP_STATUS_BY_CODE: Readonly<Record<ErrorCode, HttpStatus>> = {
  [ErrorCode.ValidationFailed]: HttpStatus.BAD_REQUEST,
  [ErrorCode.NotFound]: HttpStatus.NOT_FOUND,
  [ErrorCode.Unauthenticated]: HttpStatus.UNAUTHORIZED,
  [ErrorCode.Forbidden]: HttpStatus.FORBIDDEN,
  [ErrorCode.Conflict]: HttpStatus.CONFLICT,
  [ErrorCode.PayloadTooLarge]: HttpStatus.PAYLOAD_TOO_LARGE,
  [ErrorCode.UnsupportedMediaType]: HttpStatus.UNSUPPORTED_MEDIA_TYPE,
  [ErrorCode.RateLimited]: HttpStatus.TOO_MANY_REQUESTS,
  [ErrorCode.Unavailable]: HttpStatus.SERVICE_UNAVAILABLE,
  [ErrorCode.Busy]: HttpStatus.SERVICE_UNAVAILABLE,
  [ErrorCode.Internal]: HttpStatus.INTERNAL_SERVER_ERROR,
  [ErrorCode.CountyNotFound]: HttpStatus.NOT_FOUND,
  [ErrorCode.CategoryNotFound]: HttpStatus.NOT_FOUND,
  [ErrorCode.InvalidCode]: HttpStatus.UNAUTHORIZED,
  [ErrorCode.InvalidIdNumber]: HttpStatus.BAD_REQUEST,
  [ErrorCode.IdentityRequired]: HttpStatus.FORBIDDEN,
  [ErrorCode.IdentityAlreadyVerified]: HttpStatus.CONFLICT,
  [ErrorCode.IdentityPhonesExceeded]: HttpStatus.CONFLICT,
  [ErrorCode.IdentityNotConfirmed]: HttpStatus.UNPROCESSABLE_ENTITY,
  [ErrorCode.RoundNotFound]: HttpStatus.NOT_FOUND,
  [ErrorCode.OfferNotFound]: HttpStatus.NOT_FOUND,
  [ErrorCode.SoldOut]: HttpStatus.CONFLICT,
  [ErrorCode.LimitReached]: HttpStatus.CONFLICT,
  [ErrorCode.RoundNotOpen]: HttpStatus.CONFLICT,
  [ErrorCode.RoundClosed]: HttpStatus.CONFLICT,
  [ErrorCode.IdempotencyKeyReused]: HttpStatus.UNPROCESSABLE_ENTITY,
  [ErrorCode.RequestInProgress]: HttpStatus.CONFLICT,
  [ErrorCode.RoundIsLottery]: HttpStatus.CONFLICT,
  [ErrorCode.RoundNotLottery]: HttpStatus.CONFLICT,
  [ErrorCode.RegistrationNotFound]: HttpStatus.NOT_FOUND,
  [ErrorCode.InvalidCredentials]: HttpStatus.UNAUTHORIZED,
  [ErrorCode.LoginThrottled]: HttpStatus.TOO_MANY_REQUESTS,
  [ErrorCode.AccountDisabled]: HttpStatus.FORBIDDEN,
  [ErrorCode.OutOfScope]: HttpStatus.FORBIDDEN,
  [ErrorCode.AssistedResidentNotFound]: HttpStatus.NOT_FOUND,
  [ErrorCode.AgentQuotaExceeded]: HttpStatus.TOO_MANY_REQUESTS,
  [ErrorCode.MerchantNotFound]: HttpStatus.NOT_FOUND,
  [ErrorCode.StaffAccountNotFound]: HttpStatus.NOT_FOUND,
  [ErrorCode.CampaignNotFound]: HttpStatus.NOT_FOUND,
  [ErrorCode.VoucherTypeNotFound]: HttpStatus.NOT_FOUND,
  [ErrorCode.UnknownReference]: HttpStatus.BAD_REQUEST,
  [ErrorCode.InvalidLicenceNo]: HttpStatus.BAD_REQUEST,
  [ErrorCode.RoleBindingInvalid]: HttpStatus.BAD_REQUEST,
  [ErrorCode.CampaignWindowInvalid]: HttpStatus.BAD_REQUEST,
  [ErrorCode.LimitsInconsistent]: HttpStatus.BAD_REQUEST,
  [ErrorCode.EligibilityOutsideScope]: HttpStatus.BAD_REQUEST,
  [ErrorCode.EligibilityConflict]: HttpStatus.BAD_REQUEST,
  [ErrorCode.DiscountRuleInvalid]: HttpStatus.BAD_REQUEST,
  [ErrorCode.ThresholdNotAboveDiscount]: HttpStatus.BAD_REQUEST,
  [ErrorCode.PercentOffOutOfRange]: HttpStatus.BAD_REQUEST,
  [ErrorCode.PercentCapRequired]: HttpStatus.BAD_REQUEST,
  [ErrorCode.SubsidyShareInvalid]: HttpStatus.BAD_REQUEST,
  [ErrorCode.VoucherCategoryNotEligible]: HttpStatus.BAD_REQUEST,
  [ErrorCode.ValidityInvalid]: HttpStatus.BAD_REQUEST,
  [ErrorCode.ValidityOutsideCampaign]: HttpStatus.BAD_REQUEST,
  [ErrorCode.RoundWindowInvalid]: HttpStatus.BAD_REQUEST,
  [ErrorCode.RoundOutsideCampaign]: HttpStatus.BAD_REQUEST,
  [ErrorCode.RoundsOverlap]: HttpStatus.BAD_REQUEST,
  [ErrorCode.LotteryDrawInvalid]: HttpStatus.BAD_REQUEST,
  [ErrorCode.OfferInvalid]: HttpStatus.BAD_REQUEST,
  [ErrorCode.RollForwardInvalid]: HttpStatus.BAD_REQUEST,
  [ErrorCode.BudgetExceeded]: HttpStatus.BAD_REQUEST,
  [ErrorCode.AlreadyExists]: HttpStatus.CONFLICT,
  [ErrorCode.MerchantInvalidTransition]: HttpStatus.CONFLICT,
  [ErrorCode.MerchantNotApproved]: HttpStatus.CONFLICT,
  [ErrorCode.CampaignInvalidTransition]: HttpStatus.CONFLICT,
  [ErrorCode.CampaignNotEditable]: HttpStatus.CONFLICT,
  [ErrorCode.CampaignNotLive]: HttpStatus.CONFLICT,
  [ErrorCode.CampaignNotDeletable]: HttpStatus.CONFLICT,
  [ErrorCode.CampaignIncomplete]: HttpStatus.CONFLICT,
  [ErrorCode.UnsafeChange]: HttpStatus.CONFLICT,
  [ErrorCode.ApproverIsMaker]: HttpStatus.FORBIDDEN,
  [ErrorCode.SettlementHeld]: HttpStatus.CONFLICT,
  [ErrorCode.RiskFlagNotFound]: HttpStatus.NOT_FOUND,
  [ErrorCode.RiskFlagInvalidTransition]: HttpStatus.CONFLICT,
  [ErrorCode.RiskRuleNotFound]: HttpStatus.NOT_FOUND,
  [ErrorCode.RiskRuleParametersInvalid]: HttpStatus.BAD_REQUEST,
  [ErrorCode.VoucherNotFound]: HttpStatus.NOT_FOUND,
  [ErrorCode.RedemptionNotFound]: HttpStatus.NOT_FOUND,
  [ErrorCode.TokenInvalid]: HttpStatus.UNPROCESSABLE_ENTITY,
  [ErrorCode.TokenExpired]: HttpStatus.CONFLICT,
  [ErrorCode.ShortCodeInvalid]: HttpStatus.BAD_REQUEST,
  [ErrorCode.AlreadyRedeemed]: HttpStatus.CONFLICT,
  [ErrorCode.VoucherExpired]: HttpStatus.CONFLICT,
  [ErrorCode.VoucherNotYetValid]: HttpStatus.CONFLICT,
  [ErrorCode.VoucherRevoked]: HttpStatus.CONFLICT,
  [ErrorCode.BudgetExhausted]: HttpStatus.CONFLICT,
  [ErrorCode.MerchantLimitReached]: HttpStatus.CONFLICT,
  [ErrorCode.ThresholdNotMet]: HttpStatus.UNPROCESSABLE_ENTITY,
  [ErrorCode.MerchantNotEligible]: HttpStatus.UNPROCESSABLE_ENTITY,
  [ErrorCode.CategoryNotEligible]: HttpStatus.UNPROCESSABLE_ENTITY,
  [ErrorCode.ReversalWindowClosed]: HttpStatus.CONFLICT,
  [ErrorCode.StatementNotFound]: HttpStatus.NOT_FOUND,
  [ErrorCode.StatementInvalidTransition]: HttpStatus.CONFLICT,
  [ErrorCode.PayoutBatchNotFound]: HttpStatus.NOT_FOUND,
  [ErrorCode.NothingToPay]: HttpStatus.CONFLICT,
  [ErrorCode.PayoutTransferNotFound]: HttpStatus.NOT_FOUND,
  [ErrorCode.PayoutAlreadyMarked]: HttpStatus.CONFLICT,
  [ErrorCode.ReconciliationNotRun]: HttpStatus.NOT_FOUND,
  [ErrorCode.SettlementRunNotFound]: HttpStatus.NOT_FOUND,
  [ErrorCode.BusinessDayNotOver]: HttpStatus.CONFLICT,
};

/** Codes for errors raised by the framework itself (unknown route, bad JSON, body too large …). */
const CODE_BY_HTTP_STATUS: Readonly<Partial<Record<number, ErrorCode>>> = {
  400: ErrorCode.ValidationFailed,
  401: ErrorCode.Unauthenticated,
  403: ErrorCode.Forbidden,
  404: ErrorCode.NotFound,
  405: ErrorCode.NotFound,
  409: ErrorCode.Conflict,
  413: ErrorCode.PayloadTooLarge,
  415: ErrorCode.UnsupportedMediaType,
  429: ErrorCode.RateLimited,
  503: ErrorCode.Unavailable,
};

/** RFC 9457 problem details, with Quan's stable `code` and the request id. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  code: ErrorCode;
  detail: string;
  instance: string;
  requestId: string;
  [extension: string]: unknown;
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json; charset=utf-8';

const TITLES: Readonly<Partial<Record<number, string>>> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Content Too Large',
  414: 'URI Too Long',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/** Errors that mean Postgres or Redis cannot be reached, or cannot answer in time, right now: the client should retry later. */
export function isInfrastructureUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  // No connection to send a statement on, whatever the reason (too many connections, say), or a statement
  // whose answer was lost.
  if (error instanceof StatementNotSent || commitOutcomeUnknown(error)) return true;
  const code = (error as { code?: unknown }).code;
  // Dropped connections (ECONNRESET, EPIPE, ETIMEDOUT, 57P01, 57P02) are commitOutcomeUnknown's; 57014: a
  // statement cancelled (statement_timeout); "Query read timeout": node-postgres's query_timeout.
  if (typeof code === 'string' && ['ECONNREFUSED', 'ENOTFOUND', '57P03', '57014', '08006', '08001'].includes(code)) {
    return true;
  }
  return (
    error.name === 'MaxRetriesPerRequestError' ||
    // A Redis Cluster while a master fails over: CLUSTERDOWN or TRYAGAIN replies, or no node answering.
    /Connection is closed|Stream isn't writeable|Command timed out|Connection terminated|timeout exceeded when trying to connect|Connection refused|Query read timeout|^CLUSTERDOWN|^TRYAGAIN|Failed to refresh slots cache|Too many Cluster redirections|None of startup nodes is available|Cluster isn't ready/i.test(
      error.message,
    )
  );
}

export interface ProblemSource {
  status: number;
  code: ErrorCode;
  detail: string;
  extensions: Record<string, unknown>;
}

/** Classifies anything thrown while serving a request. Unknown errors become 500 INTERNAL. */
export function classifyError(error: unknown): ProblemSource {
  if (error instanceof DomainError) {
    return {
      status: HTTP_STATUS_BY_CODE[error.code],
      code: error.code,
      detail: error.message,
      extensions: { ...error.details },
    };
  }
  if (isInfrastructureUnavailable(error)) {
    return {
      status: 503,
      code: ErrorCode.Unavailable,
      detail: 'A backing service is unavailable; retry shortly.',
      extensions: {},
    };
  }
  const status = httpStatusOf(error);
  if (status !== undefined && status >= 400 && status < 500) {
    const code = CODE_BY_HTTP_STATUS[status] ?? ErrorCode.ValidationFailed;
    return { status, code, detail: error instanceof Error ? error.message : 'Bad request', extensions: {} };
  }
  if (status === 503) {
    return { status, code: ErrorCode.Unavailable, detail: 'Service unavailable; retry shortly.', extensions: {} };
  }
  return {
    status: 500,
    code: ErrorCode.Internal,
    detail: 'Internal error; it has been logged with the request id.',
    extensions: {},
  };
}

function httpStatusOf(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const candidate = error as { getStatus?: () => number; statusCode?: unknown; status?: unknown };
  if (typeof candidate.getStatus === 'function') return candidate.getStatus();
  if (typeof candidate.statusCode === 'number') return candidate.statusCode;
  return undefined;
}

/**
 * The extensions go first so that no extension can overwrite a standard member (ErrorDetails already
 * refuses their names at compile time; this keeps an untyped detail from changing `status` either).
 */
export function toProblem(source: ProblemSource, requestId: string, instance: string): Problem {
  return {
    ...source.extensions,
    type: `urn:quan:problem:${source.code.toLowerCase().replace(/_/g, '-')}`,
    title: TITLES[source.status] ?? 'Error',
    status: source.status,
    code: source.code,
    detail: source.detail,
    instance,
    requestId,
  };
}
