import { StaffRole } from '@quan/data';

/** Every staff role. */
export const ALL_STAFF: readonly StaffRole[] = Object.values(StaffRole);

/** The bureau: operators, finance and auditors. */
export const BUREAU: readonly StaffRole[] = [
  StaffRole.CityAdmin,
  StaffRole.CountyAdmin,
  StaffRole.Finance,
  StaffRole.Auditor,
];

/** Bureau operators who configure and review (county admins within their county). */
export const OPERATORS: readonly StaffRole[] = [StaffRole.CityAdmin, StaffRole.CountyAdmin];

/** Staff of one merchant. */
export const MERCHANT_STAFF: readonly StaffRole[] = [StaffRole.MerchantAdmin, StaffRole.Cashier];

/** Staff who serve residents in person: community agents (社区工作人员), each in one county. */
export const AGENTS: readonly StaffRole[] = [StaffRole.CommunityAgent];
