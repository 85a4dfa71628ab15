import { And, Equal, FindOperator, FindOptionsWhere, ILike } from 'typeorm';
import { StaffPrincipal } from '@quan/auth';
import { Merchant, StaffRole } from '@quan/data';

const both = (own: string, asked: unknown) => (asked === undefined ? own : And(Equal(own), Equal(asked as string)));

/**
 * Narrows a merchant query to what the caller may see (docs/product.md invariant 7): a county admin their
 * county's merchants, merchant staff their own merchant, everyone else of the bureau every merchant.
 * What lies outside is simply not found (404).
 */
export function merchantScope(
  principal: StaffPrincipal,
  where: FindOptionsWhere<Merchant> = {},
): FindOptionsWhere<Merchant> {
  switch (principal.role) {
    case StaffRole.CountyAdmin:
      return { ...where, countyCode: both(principal.countyCode ?? '', where.countyCode) };
    case StaffRole.MerchantAdmin:
    case StaffRole.Cashier:
      return { ...where, id: both(principal.merchantId ?? '00000000-0000-0000-0000-000000000000', where.id) };
    default:
      return where;
  }
}

/** Names containing `text` in any case; LIKE's wildcards in it are taken literally. */
export const nameContains = (text: string): FindOperator<string> =>
  ILike(`%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
