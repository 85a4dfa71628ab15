import { StaffRole, SubjectKind } from '@quan/data';

/** Who is calling, as proved by the access token. */
export type Principal = ResidentPrincipal | StaffPrincipal;

export interface ResidentPrincipal {
  kind: SubjectKind.Resident;
  id: string;
  /** The verified person behind the account (null until verified); limits count this. */
  identityId: string | null;
  /**
   * Set in an acting-for token only: the community agent acting for the resident (RFC 8693's `act` claim).
   * Resident endpoints serve it on the resident's identity unchanged; its requests are audited.
   */
  actorId?: string;
}

export interface StaffPrincipal {
  kind: SubjectKind.Staff;
  id: string;
  role: StaffRole;
  /** Set for county_admin and community_agent: the one county they see and change, or serve. */
  countyCode: string | null;
  /** Set for merchant_admin and cashier: the one merchant they act for. */
  merchantId: string | null;
}

/** Set for county_admin and community_agent: the one county they see and change, or serve. */
export const COUNTY_BOUND_ROLES: readonly StaffRole[] = [StaffRole.CountyAdmin, StaffRole.CommunityAgent];

/**
 * The campaign scopes a staff member sees: a county admin (or community agent) their county's campaigns and the city-wide ones
 * (scope null); every other role all of them.
 */
export function campaignScopesOf(principal: StaffPrincipal): (string | null)[] | 'all' {
  return COUNTY_BOUND_ROLES.includes(principal.role) ? [principal.countyCode ?? '', null] : 'all';
}

/** Who may call an endpoint: residents, or staff of the listed roles. */
export type Audience = SubjectKind.Resident | StaffRole;

export function audienceOf(principal: Principal): Audience {
  return principal.kind === SubjectKind.Resident ? SubjectKind.Resident : principal.role;
}
