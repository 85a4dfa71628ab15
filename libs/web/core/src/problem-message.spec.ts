import { ErrorCode } from '@quan/domain';
import { ApiProblem } from '@quan/web-api';
import { ERROR_MESSAGES_EN, ERROR_MESSAGES_ZH } from './error-messages';
import { createI18n, setLanguage } from './i18n';
import { problemMessage } from './problem-message';
import { MemoryStorage } from './storage';

describe('problem messages', () => {
  it('has a Chinese and an English message for every code, none empty, Chinese ones in Chinese', () => {
    for (const code of [...Object.values(ErrorCode), 'NETWORK' as const]) {
      expect(ERROR_MESSAGES_ZH[code]).toMatch(/[\u4e00-\u9fff]/);
      expect(ERROR_MESSAGES_EN[code].length).toBeGreaterThan(0);
    }
  });

  it('says how long to wait in the stored language, and switches and remembers the language', async () => {
    const storage = new MemoryStorage();
    const i18n = createI18n({ 'zh-CN': {}, en: {} }, 'common', storage);
    const limited = new ApiProblem(429, ErrorCode.RateLimited, '', 37, [], undefined);
    expect(problemMessage(limited, i18n.t)).toBe('操作太频繁，请 37 秒后再试。');
    await setLanguage(i18n, 'en', storage);
    expect(problemMessage(limited, i18n.t)).toBe('Too many attempts. Try again in 37 s.');
    expect(createI18n({ 'zh-CN': {}, en: {} }, 'common', storage).language).toBe('en');
  });

  it('reads anything that is not an ApiProblem as an internal error', () => {
    const i18n = createI18n({ 'zh-CN': {}, en: {} }, 'common', new MemoryStorage());
    expect(problemMessage(new Error('boom'), i18n.t)).toBe(ERROR_MESSAGES_ZH[ErrorCode.Internal]);
  });
});
