import { StaffRole, SubjectKind } from '@quan/data';

/** Who is calling, as proved by the access token. */
export type Principal = ResidentPrincipal | StaffPrincipal;

export interface ResidentPrincipal {
  kind: SubjectKind.Resident;
  id: string;
  /** The verified person behind the account (null until verified); limits count this. */
  identityId: string | null;
}

export interface StaffPrincipal {
  kind: SubjectKind.Staff;
  id: string;
  role: StaffRole;
  /** Set for county_admin: the one county they see and change. */
  countyCode: string | null;
  /** Set for merchant_admin and cashier: the one merchant they act for. */
  merchantId: string | null;
}

/**
 * The campaign scopes a staff member sees: a county admin their county's campaigns and the city-wide ones
 * (scope null); every other role all of them.
 */
export function campaignScopesOf(principal: StaffPrincipal): (string | null)[] | 'all' {
  return principal.role === StaffRole.CountyAdmin ? [principal.countyCode ?? '', null] : 'all';
}

/** Who may call an endpoint: residents, or staff of the listed roles. */
export type Audience = SubjectKind.Resident | StaffRole;

export function audienceOf(principal: Principal): Audience {
  return principal.kind === SubjectKind.Resident ? SubjectKind.Resident : principal.role;
}
