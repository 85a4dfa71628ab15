import type { TFunction } from 'i18next';
import { formatDateTime, formatFen, problemMessage } from '@quan/web-core';
import { ApiProblem } from '@quan/web-api';
import { zhCN } from './messages';

/** A refusal as the till explains it: its code and the problem's body (details such as the threshold). */
export interface Refusal {
  code: string;
  body?: unknown;
}

function detail(body: unknown, name: string): unknown {
  return typeof body === 'object' && body !== null ? (body as Record<string, unknown>)[name] : undefined;
}

/**
 * What the cashier reads when a voucher is refused: in plain words, with what to do next. The till's
 * own texts cover the redemption refusals (with the details the api gives: when it was redeemed and
 * where, the threshold); anything else falls back to the shared message of its code.
 */
export function refusalMessage(refusal: Refusal, t: TFunction, language: string): string {
  const { code, body } = refusal;
  const redeemedAt = detail(body, 'redeemedAt');
  if (code === 'ALREADY_REDEEMED' && typeof redeemedAt === 'string') {
    const where = detail(body, 'atThisMerchant') === true ? t('refusals.here') : t('refusals.elsewhere');
    return t('refusals.ALREADY_REDEEMED_AT', { when: formatDateTime(redeemedAt, language), where });
  }
  if (code === 'THRESHOLD_NOT_MET') {
    const threshold = detail(body, 'thresholdFen');
    return typeof threshold === 'number' && threshold > 0
      ? t('refusals.THRESHOLD_NOT_MET', { threshold: formatFen(threshold, { compact: true }) })
      : t('refusals.THRESHOLD_NOT_MET_PLAIN');
  }
  if (code in zhCN.refusals) return t(`refusals.${code as keyof typeof zhCN.refusals}`);
  return problemMessage(new ApiProblem(0, code as ApiProblem['code'], '', undefined, [], body), t);
}
