import { DiscountKind, ValidityKind } from '@quan/data';
import { Fen, ValidityRule } from '@quan/domain';
import { DiscountRuleDto } from './claims.dto';

/**
 * The columns of a voucher type (alias `t`) that make its rules, with the names of its categories, for
 * every query that shows vouchers or offers; `ruleOf` turns such a row into what residents read.
 */
export const RULE_COLUMNS = `t.kind, t.threshold_fen, t.discount_fen, t.percent_off, t.cap_fen, t.validity_kind,
  t.valid_from AS type_valid_from, t.valid_until AS type_valid_until, t.valid_days,
  (SELECT coalesce(json_agg(json_build_object('code', k.code, 'name', k.name) ORDER BY k.sort_order, k.code), '[]'::json)
     FROM categories k WHERE k.code = ANY (t.category_codes)) AS categories`;

export interface RuleRow {
  kind: DiscountKind;
  threshold_fen: string;
  discount_fen: string | null;
  percent_off: number | null;
  cap_fen: string | null;
  validity_kind: ValidityKind;
  type_valid_from: Date | null;
  type_valid_until: Date | null;
  valid_days: number | null;
  categories: { code: string; name: string }[];
}

const fenOrNull = (value: string | null) => (value === null ? null : (Number(value) as Fen));

/** The validity rule the claim path applies (libs/domain voucherValidity). */
export function validityRuleOf(row: RuleRow): ValidityRule {
  return row.validity_kind === ValidityKind.FixedWindow
    ? { kind: 'fixed_window', validFrom: row.type_valid_from!, validUntil: row.type_valid_until! }
    : { kind: 'days_from_claim', days: row.valid_days! };
}

export function ruleOf(row: RuleRow): DiscountRuleDto {
  return {
    kind: row.kind,
    thresholdFen: Number(row.threshold_fen) as Fen,
    discountFen: fenOrNull(row.discount_fen),
    percentOff: row.percent_off,
    capFen: fenOrNull(row.cap_fen),
    categories: row.categories,
    validity: {
      kind: row.validity_kind,
      validFrom: row.type_valid_from?.toISOString() ?? null,
      validUntil: row.type_valid_until?.toISOString() ?? null,
      days: row.valid_days,
    },
  };
}
