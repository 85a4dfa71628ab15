/**
 * The vocabulary of campaigns and merchants (docs/product.md, "Domain words"). The entities in libs/data store
 * these values as Postgres enums; the rules in this lib reason about them without any framework.
 */
export enum CampaignStatus {
  Draft = 'draft',
  PendingApproval = 'pending_approval',
  Published = 'published',
  Running = 'running',
  Ended = 'ended',
  Archived = 'archived',
}

export enum MerchantStatus {
  Pending = 'pending',
  Approved = 'approved',
  Rejected = 'rejected',
  Suspended = 'suspended',
}

export enum DiscountKind {
  /** 满减: spend at least thresholdFen, get discountFen off. */
  Threshold = 'threshold',
  /** 直减: discountFen off any order. */
  Fixed = 'fixed',
  /** 折扣: percentOff off the order, at most capFen. */
  Percentage = 'percentage',
}

export enum ValidityKind {
  FixedWindow = 'fixed_window',
  DaysFromClaim = 'days_from_claim',
}

export enum RoundMode {
  /** 抢券: first come, first served while stock lasts. */
  FirstCome = 'first_come',
  /** 摇号: register during the window, then a draw. */
  Lottery = 'lottery',
}

/** A voucher's life: claimed, then redeemed (and back to claimed by a reversal), expired or revoked. */
export enum VoucherStatus {
  Claimed = 'claimed',
  Redeemed = 'redeemed',
  Expired = 'expired',
  Revoked = 'revoked',
}
