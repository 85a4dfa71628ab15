import { AuditChain1796662948571 } from './1796662948571-AuditChain';
import { BudgetLedger1795782411806 } from './1795782411806-BudgetLedger';
import { BureauAndMerchants1795775733883 } from './1795775733883-BureauAndMerchants';
import { ClaimPathKeys1795796303704 } from './1795796303704-ClaimPathKeys';
import { ClaimKeys1796662937528 } from './1796662937528-ClaimKeys';
import { Claims1795777207801 } from './1795777207801-Claims';
import { IdentityBinding1796900100000 } from './1796900100000-IdentityBinding';
import { Initial1795773483445 } from './1795773483445-Initial';
import { Lottery1797000000000 } from './1797000000000-Lottery';
import { Redemptions1795781516121 } from './1795781516121-Redemptions';
import { Reports1796905000000 } from './1796905000000-Reports';
import { AssistedClaims1797001000000 } from './1797001000000-AssistedClaims';
import { Risk1797002000000 } from './1797002000000-Risk';
import { SealedMerchantData1796900000000 } from './1796900000000-SealedMerchantData';
import { Settlement1795781672346 } from './1795781672346-Settlement';
import { SettlementRuns1796661503300 } from './1796661503300-SettlementRuns';
import { RefreshTokens1795774918367 } from './1795774918367-RefreshTokens';
import { ResidentReads1796661559790 } from './1796661559790-ResidentReads';
import { LoginThrottleAndTokenFamilies1796664303328 } from './1796664303328-LoginThrottleAndTokenFamilies';
import { VoucherRedeemedOnce1795786000000 } from './1795786000000-VoucherRedeemedOnce';

/** Every migration, oldest first. The schema changes only through these (never `synchronize`). */
export const MIGRATIONS = [
  Initial1795773483445,
  RefreshTokens1795774918367,
  BureauAndMerchants1795775733883,
  Claims1795777207801,
  Redemptions1795781516121,
  Settlement1795781672346,
  BudgetLedger1795782411806,
  VoucherRedeemedOnce1795786000000,
  ClaimPathKeys1795796303704,
  SettlementRuns1796661503300,
  ResidentReads1796661559790,
  ClaimKeys1796662937528,
  AuditChain1796662948571,
  LoginThrottleAndTokenFamilies1796664303328,
  SealedMerchantData1796900000000,
  IdentityBinding1796900100000,
  Reports1796905000000,
  Lottery1797000000000,
  AssistedClaims1797001000000,
  Risk1797002000000,
];
