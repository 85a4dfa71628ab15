import type { StaffRole } from '../section';

/** Statements and payouts are finance's (auditors read them); the reconciliation is also the city admin's. */
export const STATEMENT_READERS: readonly StaffRole[] = ['finance', 'auditor'];
export const RECONCILIATION_READERS: readonly StaffRole[] = ['city_admin', 'finance', 'auditor'];
export const FINANCE: readonly StaffRole[] = ['finance'];
/** Who may ask for a run now; auditors read the report only. */
export const RUNNERS: readonly StaffRole[] = ['city_admin', 'finance'];
