import { useTranslation } from 'react-i18next';
import { categoryText, ruleText, validityText } from '../rules';
import type { DiscountRule } from '../types';

/** One voucher's rule in plain words: 满30减5, what it gives, where, and how long it is valid. */
export function RuleLines({ rule, quantity, validity }: { rule: DiscountRule; quantity?: number; validity?: string }) {
  const { t, i18n } = useTranslation('resident');
  const { title, sentence } = ruleText(rule, t);
  return (
    <div className="q-rule">
      <strong>{title}</strong>
      {quantity !== undefined && <span> {t('rules.quantity', { quantity })}</span>}
      <div>{sentence}</div>
      <div className="q-muted">
        {categoryText(rule, t)} · {validity ?? validityText(rule, t, i18n.language)}
      </div>
    </div>
  );
}
