/**
 * Every error a client can see has a stable machine-readable code. Domain code throws DomainError
 * with one of these; the HTTP layer maps each code to a status in one exhaustive table.
 */
export enum ErrorCode {
  ValidationFailed = 'VALIDATION_FAILED',
  NotFound = 'NOT_FOUND',
  Unauthenticated = 'UNAUTHENTICATED',
  Forbidden = 'FORBIDDEN',
  Conflict = 'CONFLICT',
  PayloadTooLarge = 'PAYLOAD_TOO_LARGE',
  UnsupportedMediaType = 'UNSUPPORTED_MEDIA_TYPE',
  RateLimited = 'RATE_LIMITED',
  // A community agent has served as many residents today as AGENT_DAILY_QUOTA allows
  AgentQuotaExceeded = 'AGENT_QUOTA_EXCEEDED',
  Unavailable = 'UNAVAILABLE',
  // The api process is at its capacity and refused the request before doing any of it (the admission gate)
  Busy = 'BUSY',
  Internal = 'INTERNAL',
  CountyNotFound = 'COUNTY_NOT_FOUND',
  CategoryNotFound = 'CATEGORY_NOT_FOUND',
  InvalidCode = 'INVALID_CODE',
  InvalidIdNumber = 'INVALID_ID_NUMBER',
  IdentityRequired = 'IDENTITY_REQUIRED',
  IdentityAlreadyVerified = 'IDENTITY_ALREADY_VERIFIED',
  // One person verified on more phones than IDENTITY_MAX_PHONES allows
  IdentityPhonesExceeded = 'IDENTITY_PHONES_EXCEEDED',
  // The real-name provider says the name and the ID number do not belong together
  IdentityNotConfirmed = 'IDENTITY_NOT_CONFIRMED',
  RoundNotFound = 'ROUND_NOT_FOUND',
  OfferNotFound = 'OFFER_NOT_FOUND',
  SoldOut = 'SOLD_OUT',
  LimitReached = 'LIMIT_REACHED',
  RoundNotOpen = 'ROUND_NOT_OPEN',
  RoundClosed = 'ROUND_CLOSED',
  IdempotencyKeyReused = 'IDEMPOTENCY_KEY_REUSED',
  RequestInProgress = 'REQUEST_IN_PROGRESS',
  // Lottery rounds (摇号): a claim of a lottery round, a registration for a first-come round, no registration
  RoundIsLottery = 'ROUND_IS_LOTTERY',
  RoundNotLottery = 'ROUND_NOT_LOTTERY',
  RegistrationNotFound = 'REGISTRATION_NOT_FOUND',

  // Staff sign-in (401 for unknown user and wrong password alike, so usernames cannot be probed; 429 while
  // an address must wait after repeated failures)
  InvalidCredentials = 'INVALID_CREDENTIALS',
  LoginThrottled = 'LOGIN_THROTTLED',
  AccountDisabled = 'ACCOUNT_DISABLED',
  // Scope (docs/product.md invariant 7): visible to the caller but not theirs to change
  OutOfScope = 'OUT_OF_SCOPE',
  // Objects named in the path that do not exist or lie outside the caller's scope
  MerchantNotFound = 'MERCHANT_NOT_FOUND',
  StaffAccountNotFound = 'STAFF_ACCOUNT_NOT_FOUND',
  CampaignNotFound = 'CAMPAIGN_NOT_FOUND',
  VoucherTypeNotFound = 'VOUCHER_TYPE_NOT_FOUND',
  AssistedResidentNotFound = 'ASSISTED_RESIDENT_NOT_FOUND',
  // Invalid input beyond the shape of a DTO
  UnknownReference = 'UNKNOWN_REFERENCE',
  InvalidLicenceNo = 'INVALID_LICENCE_NO',
  RoleBindingInvalid = 'ROLE_BINDING_INVALID',
  CampaignWindowInvalid = 'CAMPAIGN_WINDOW_INVALID',
  LimitsInconsistent = 'LIMITS_INCONSISTENT',
  EligibilityOutsideScope = 'ELIGIBILITY_OUTSIDE_SCOPE',
  EligibilityConflict = 'ELIGIBILITY_CONFLICT',
  DiscountRuleInvalid = 'DISCOUNT_RULE_INVALID',
  ThresholdNotAboveDiscount = 'THRESHOLD_NOT_ABOVE_DISCOUNT',
  PercentOffOutOfRange = 'PERCENT_OFF_OUT_OF_RANGE',
  PercentCapRequired = 'PERCENT_CAP_REQUIRED',
  SubsidyShareInvalid = 'SUBSIDY_SHARE_INVALID',
  VoucherCategoryNotEligible = 'VOUCHER_CATEGORY_NOT_ELIGIBLE',
  ValidityInvalid = 'VALIDITY_INVALID',
  ValidityOutsideCampaign = 'VALIDITY_OUTSIDE_CAMPAIGN',
  RoundWindowInvalid = 'ROUND_WINDOW_INVALID',
  RoundOutsideCampaign = 'ROUND_OUTSIDE_CAMPAIGN',
  RoundsOverlap = 'ROUNDS_OVERLAP',
  LotteryDrawInvalid = 'LOTTERY_DRAW_INVALID',
  OfferInvalid = 'OFFER_INVALID',
  RollForwardInvalid = 'ROLL_FORWARD_INVALID',
  BudgetExceeded = 'BUDGET_EXCEEDED',
  // State conflicts
  AlreadyExists = 'ALREADY_EXISTS',
  MerchantInvalidTransition = 'MERCHANT_INVALID_TRANSITION',
  MerchantNotApproved = 'MERCHANT_NOT_APPROVED',
  CampaignInvalidTransition = 'CAMPAIGN_INVALID_TRANSITION',
  CampaignNotEditable = 'CAMPAIGN_NOT_EDITABLE',
  CampaignNotLive = 'CAMPAIGN_NOT_LIVE',
  CampaignNotDeletable = 'CAMPAIGN_NOT_DELETABLE',
  CampaignIncomplete = 'CAMPAIGN_INCOMPLETE',
  UnsafeChange = 'UNSAFE_CHANGE',
  ApproverIsMaker = 'APPROVER_IS_MAKER',
  // Redemption (核销)
  VoucherNotFound = 'VOUCHER_NOT_FOUND',
  RedemptionNotFound = 'REDEMPTION_NOT_FOUND',
  TokenInvalid = 'TOKEN_INVALID',
  TokenExpired = 'TOKEN_EXPIRED',
  ShortCodeInvalid = 'SHORT_CODE_INVALID',
  AlreadyRedeemed = 'ALREADY_REDEEMED',
  VoucherExpired = 'VOUCHER_EXPIRED',
  VoucherNotYetValid = 'VOUCHER_NOT_YET_VALID',
  VoucherRevoked = 'VOUCHER_REVOKED',
  BudgetExhausted = 'BUDGET_EXHAUSTED',
  MerchantLimitReached = 'MERCHANT_LIMIT_REACHED',
  ThresholdNotMet = 'THRESHOLD_NOT_MET',
  MerchantNotEligible = 'MERCHANT_NOT_ELIGIBLE',
  CategoryNotEligible = 'CATEGORY_NOT_ELIGIBLE',
  ReversalWindowClosed = 'REVERSAL_WINDOW_CLOSED',
  // Settlement
  StatementNotFound = 'STATEMENT_NOT_FOUND',
  StatementInvalidTransition = 'STATEMENT_INVALID_TRANSITION',
  PayoutBatchNotFound = 'PAYOUT_BATCH_NOT_FOUND',
  NothingToPay = 'NOTHING_TO_PAY',
  PayoutTransferNotFound = 'PAYOUT_TRANSFER_NOT_FOUND',
  PayoutAlreadyMarked = 'PAYOUT_ALREADY_MARKED',
  ReconciliationNotRun = 'RECONCILIATION_NOT_RUN',
  SettlementRunNotFound = 'SETTLEMENT_RUN_NOT_FOUND',
  /** A settlement asked for a business day that has not ended yet (today or later). */
  BusinessDayNotOver = 'BUSINESS_DAY_NOT_OVER',
  /** The merchant has a high-severity risk flag open (or confirmed): its statements cannot be approved. */
  SettlementHeld = 'SETTLEMENT_HELD',
  // Risk
  RiskFlagNotFound = 'RISK_FLAG_NOT_FOUND',
  RiskFlagInvalidTransition = 'RISK_FLAG_INVALID_TRANSITION',
  RiskRuleNotFound = 'RISK_RULE_NOT_FOUND',
  RiskRuleParametersInvalid = 'RISK_RULE_PARAMETERS_INVALID',
}

/**
 * The members every problem body has (RFC 9457's, with Quan's `code` and `requestId`). Details must not
 * use these names: a client reads `status` as the HTTP status, so a campaign's status goes in
 * `campaignStatus`. ErrorDetails refuses them at compile time; the problem writer puts them last anyway.
 */
export type StandardProblemMember = 'type' | 'title' | 'status' | 'detail' | 'instance' | 'code' | 'requestId';

/**
 * Extra machine-readable fields, e.g. the failing fields of a validation error. Money is an integer
 * number of fen here as everywhere (never a string or a bigint), so every `…Fen` member is a number.
 */
export type ErrorDetails = { readonly [key: string]: unknown } & { readonly [key: `${string}Fen`]: number } & {
  readonly [member in StandardProblemMember]?: never;
};

export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: ErrorDetails = {},
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

/** Compile-time exhaustiveness check for switches over unions and enums. */
export function assertUnreachable(value: never): never {
  throw new Error(`unreachable value: ${String(value)}`);
}
