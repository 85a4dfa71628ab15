import { QueryClientProvider, type QueryClient } from '@tanstack/react-query';
import { ConfigProvider } from 'antd-mobile';
import enUS from 'antd-mobile/es/locales/en-US';
import zhCN from 'antd-mobile/es/locales/zh-CN';
import type { i18n as I18n } from 'i18next';
import { I18nextProvider, useTranslation } from 'react-i18next';
import { RouterProvider, type RouterProviderProps } from 'react-router';

export interface WebAppRootProps {
  i18n: I18n;
  queryClient: QueryClient;
  router: RouterProviderProps['router'];
}

function Localised({ router }: Pick<WebAppRootProps, 'router'>) {
  const { i18n } = useTranslation();
  return (
    <ConfigProvider locale={i18n.language === 'en' ? enUS : zhCN}>
      <RouterProvider router={router} />
    </ConfigProvider>
  );
}

/** The providers every web app renders under: its i18n, its query cache, antd-mobile in the current language, its router. */
export function WebAppRoot({ i18n, queryClient, router }: WebAppRootProps) {
  return (
    <I18nextProvider i18n={i18n}>
      <QueryClientProvider client={queryClient}>
        <Localised router={router} />
      </QueryClientProvider>
    </I18nextProvider>
  );
}
