import { AgentDailyUsage, AgentService, AssistedResident } from './assisted-resident.entity';
import { AuditChainHead, AuditLog } from './audit-log.entity';
import { BudgetLedgerEntry } from './budget-ledger-entry.entity';
import { CampaignSpend } from './campaign-spend.entity';
import { Campaign } from './campaign.entity';
import { Category } from './category.entity';
import { ClaimKey } from './claim-key.entity';
import { Claim } from './claim.entity';
import { County } from './county.entity';
import { Identity } from './identity.entity';
import { LotteryDraw, LotteryRegistration, LotteryWinner } from './lottery.entity';
import { Merchant } from './merchant.entity';
import { OfferItem } from './offer-item.entity';
import { OutboxMessage } from './outbox-message.entity';
import { Redemption } from './redemption.entity';
import { RefreshToken } from './refresh-token.entity';
import { Resident } from './resident.entity';
import {
  PayoutBatch,
  PayoutItem,
  PayoutTransfer,
  SettledDay,
  SettlementLine,
  SettlementStatement,
} from './settlement.entity';
import { ReconciliationReport } from './reconciliation-report.entity';
import {
  ReportAreaDay,
  ReportClaimDay,
  ReportFoldedEvent,
  ReportRedemptionDay,
  ReportWatermark,
} from './report.entity';
import { SettlementRunRecord } from './settlement-run.entity';
import { RoundOffer } from './round-offer.entity';
import { Round } from './round.entity';
import { StaffAccount } from './staff-account.entity';
import { VoucherType } from './voucher-type.entity';
import { Voucher } from './voucher.entity';

export * from './assisted-resident.entity';
export * from './audit-log.entity';
export * from './budget-ledger-entry.entity';
export * from './campaign-spend.entity';
export * from './campaign.entity';
export * from './category.entity';
export * from './claim-key.entity';
export * from './claim.entity';
export * from './county.entity';
export * from './identity.entity';
export * from './lottery.entity';
export * from './merchant.entity';
export * from './offer-item.entity';
export * from './outbox-message.entity';
export * from './redemption.entity';
export * from './refresh-token.entity';
export * from './resident.entity';
export * from './reconciliation-report.entity';
export * from './report.entity';
export * from './round-offer.entity';
export * from './settlement.entity';
export * from './settlement-run.entity';
export * from './round.entity';
export * from './staff-account.entity';
export * from './voucher-type.entity';
export * from './voucher.entity';

export const ENTITIES = [
  County,
  Category,
  Merchant,
  StaffAccount,
  Campaign,
  VoucherType,
  Round,
  RoundOffer,
  OfferItem,
  RefreshToken,
  AuditLog,
  Identity,
  Resident,
  Claim,
  ClaimKey,
  Voucher,
  Redemption,
  CampaignSpend,
  OutboxMessage,
  SettlementStatement,
  SettlementLine,
  PayoutBatch,
  PayoutTransfer,
  PayoutItem,
  SettledDay,
  ReconciliationReport,
  BudgetLedgerEntry,
  SettlementRunRecord,
  AuditChainHead,
  ReportRedemptionDay,
  ReportAreaDay,
  ReportClaimDay,
  ReportFoldedEvent,
  ReportWatermark,
  AssistedResident,
  AgentService,
  AgentDailyUsage,
  LotteryDraw,
  LotteryRegistration,
  LotteryWinner,
];
