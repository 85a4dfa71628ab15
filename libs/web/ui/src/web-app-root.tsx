import { QueryClientProvider, type QueryClient } from '@tanstack/react-query';
import type { i18n as I18n } from 'i18next';
import type { ComponentType, ReactNode } from 'react';
import { I18nextProvider, useTranslation } from 'react-i18next';
import { RouterProvider, type RouterProviderProps } from 'react-router';
import type { Language } from '@quan/web-core';

/** Puts an app's component library (antd-mobile on phones, antd on the console) in the current language. */
export type LocaleProvider = ComponentType<{ language: Language; children: ReactNode }>;

export interface WebAppRootProps {
  i18n: I18n;
  queryClient: QueryClient;
  router: RouterProviderProps['router'];
  locale: LocaleProvider;
}

function Localised({ router, locale: Locale }: Pick<WebAppRootProps, 'router' | 'locale'>) {
  const { i18n } = useTranslation();
  return (
    <Locale language={i18n.language === 'en' ? 'en' : 'zh-CN'}>
      <RouterProvider router={router} />
    </Locale>
  );
}

/** The providers every web app renders under: its i18n, its query cache, its components in the current language, its router. */
export function WebAppRoot({ i18n, queryClient, router, locale }: WebAppRootProps) {
  return (
    <I18nextProvider i18n={i18n}>
      <QueryClientProvider client={queryClient}>
        <Localised router={router} locale={locale} />
      </QueryClientProvider>
    </I18nextProvider>
  );
}
