import { ERROR_MESSAGES_ZH } from '@quan/web-core';
import { i18n } from './i18n';
import { refusalMessage } from './refusal';

const t = i18n.getFixedT('zh-CN', 'till');

describe('refusals as the cashier reads them', () => {
  it('says when an already redeemed voucher was redeemed and whether at this shop, never naming another', () => {
    const redeemedAt = '2026-12-07T02:05:00Z';
    expect(
      refusalMessage({ code: 'ALREADY_REDEEMED', body: { redeemedAt, atThisMerchant: true } }, t, 'zh-CN'),
    ).toMatch(/^这张券已在 2026\/12\/07 10:05 于本店核销过/);
    expect(
      refusalMessage({ code: 'ALREADY_REDEEMED', body: { redeemedAt, atThisMerchant: false } }, t, 'zh-CN'),
    ).toContain('于其他商户核销过');
    expect(refusalMessage({ code: 'ALREADY_REDEEMED', body: {} }, t, 'zh-CN')).toBe(
      '这张券已经核销过了，不能再用。请顾客换一张券，或按原价付款。',
    );
  });

  it('gives the threshold an order missed, and what to do about a spent budget or an expired QR code', () => {
    expect(refusalMessage({ code: 'THRESHOLD_NOT_MET', body: { thresholdFen: 5000 } }, t, 'zh-CN')).toContain(
      '满 ¥50 可用',
    );
    expect(refusalMessage({ code: 'BUDGET_EXHAUSTED' }, t, 'zh-CN')).toContain('补贴预算已用完');
    expect(refusalMessage({ code: 'TOKEN_EXPIRED' }, t, 'zh-CN')).toContain('请顾客在手机上刷新付款码');
  });

  it('falls back to the shared message of any other code', () => {
    expect(refusalMessage({ code: 'VALIDATION_FAILED' }, t, 'zh-CN')).toBe(ERROR_MESSAGES_ZH.VALIDATION_FAILED);
  });
});
