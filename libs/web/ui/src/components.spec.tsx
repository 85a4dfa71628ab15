import type { ReactElement } from 'react';
import { renderToString } from 'react-dom/server';
import { I18nextProvider } from 'react-i18next';
import { createMemoryRouter, RouterProvider } from 'react-router';
import { createI18n, MemoryStorage } from '@quan/web-core';
import { LanguageButton } from './language-button';
import { TabBar } from './tab-bar';

function render(path: string, element: ReactElement, language: 'zh-CN' | 'en' = 'zh-CN'): string {
  const storage = new MemoryStorage();
  storage.setItem('quan.language', language);
  const i18n = createI18n({ 'zh-CN': {}, en: {} }, 'common', storage);
  const router = createMemoryRouter([{ path: '*', element }], { initialEntries: [path] });
  return renderToString(
    <I18nextProvider i18n={i18n}>
      <RouterProvider router={router} />
    </I18nextProvider>,
  );
}

const TABS = [
  { to: '/', label: '抢券', end: true },
  { to: '/wallet', label: '券包' },
];

describe('shared web components', () => {
  it('marks the tab of the current screen, "/" only on itself', () => {
    const onVoucher = render('/wallet/123', <TabBar tabs={TABS} label="主导航" />);
    expect(onVoucher).toContain('aria-label="主导航"');
    expect(onVoucher).toMatch(/<a[^>]*class="active"[^>]*href="\/wallet"|<a[^>]*href="\/wallet"[^>]*class="active"/);
    expect(onVoucher).not.toMatch(/<a[^>]*class="active"[^>]*href="\/"[^w]|<a[^>]*href="\/"[^>]*class="active"/);
  });

  it('offers the other language, written in that language', () => {
    expect(render('/', <LanguageButton />)).toMatch(
      /<button[^>]*lang="en"[^>]*title="切换语言"[^>]*>English<\/button>/,
    );
    expect(render('/', <LanguageButton />, 'en')).toMatch(
      /<button[^>]*lang="zh-CN"[^>]*title="Switch language"[^>]*>中文<\/button>/,
    );
  });
});
