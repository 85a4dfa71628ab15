import { useTranslation } from 'react-i18next';
import { formatFen } from '@quan/web-core';
import type { Quote } from '../runtime';
import { Figures } from './figures';

/** The voucher, the order, the discount and its split, and what the customer pays: the quote and the receipt alike. */
export function QuoteLines({ quote }: { quote: Quote }) {
  const { t } = useTranslation('till');
  return (
    <Figures
      rows={[
        [t('checkout.voucher'), `${quote.voucher.name} · ${quote.voucher.shortCode}`],
        [t('checkout.order'), formatFen(quote.orderAmountFen)],
        [t('checkout.discount'), `-${formatFen(quote.discountFen)}`],
        [t('checkout.subsidy'), formatFen(quote.subsidyFen)],
        [t('checkout.merchantFunded'), formatFen(quote.merchantFundedFen)],
        [t('checkout.payable'), formatFen(quote.payableFen), true],
      ]}
    />
  );
}
