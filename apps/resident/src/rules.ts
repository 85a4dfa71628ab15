import type { TFunction } from 'i18next';
import { assertUnreachable } from '@quan/domain';
import { formatDate, formatFen } from '@quan/web-core';
import type { DiscountRule } from './types';

const yuan = (fen: number | null) => formatFen(fen ?? 0, { compact: true, symbol: false });

/** 折扣 in the Chinese way: 15 % off is 8.5折, 20 % off is 8折. */
const zhe = (percentOff: number) => String((100 - percentOff) / 10);

/** A voucher's rule in plain words: a short title (满30减5) and a sentence saying what it gives. */
export function ruleText(rule: DiscountRule, t: TFunction): { title: string; sentence: string } {
  const values = {
    threshold: yuan(rule.thresholdFen),
    discount: yuan(rule.discountFen),
    cap: yuan(rule.capFen),
    percent: rule.percentOff ?? 0,
    zhe: zhe(rule.percentOff ?? 0),
  };
  switch (rule.kind) {
    case 'threshold':
      return { title: t('rules.threshold', values), sentence: t('rules.thresholdSentence', values) };
    case 'fixed':
      return { title: t('rules.fixed', values), sentence: t('rules.fixedSentence', values) };
    case 'percentage':
      return {
        title: t('rules.percentage', values),
        sentence: t(rule.capFen ? 'rules.percentageSentence' : 'rules.percentageNoCap', values),
      };
    default:
      return assertUnreachable(rule.kind);
  }
}

/** Where it can be used: every category, or the ones named. */
export function categoryText(rule: DiscountRule, t: TFunction): string {
  return rule.categories.length === 0
    ? t('rules.anyCategory')
    : t('rules.categories', { names: rule.categories.map((c) => c.name).join('、') });
}

/** How long a voucher of this type is valid, before it is claimed (the rule, not the dates of one voucher). */
export function validityText(rule: DiscountRule, t: TFunction, locale: string): string {
  const { validity } = rule;
  if (validity.kind === 'days_from_claim') return t('rules.validDays', { days: validity.days ?? 0 });
  return t('rules.validWindow', {
    from: formatDate(validity.validFrom ?? '', locale),
    until: formatDate(validity.validUntil ?? '', locale),
  });
}
