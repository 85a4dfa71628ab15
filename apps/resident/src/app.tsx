import { QueryClientProvider } from '@tanstack/react-query';
import { ConfigProvider } from 'antd-mobile';
import enUS from 'antd-mobile/es/locales/en-US';
import zhCNLocale from 'antd-mobile/es/locales/zh-CN';
import { I18nextProvider, useTranslation } from 'react-i18next';
import { createBrowserRouter, Navigate, RouterProvider } from 'react-router';
import { i18n } from './i18n';
import { Layout, Loading, RequireSession, RouteError } from './layout';
import { queryClient } from './query';

/** Every screen is its own lazy chunk: the first screen loads only the code it draws. */
const router = createBrowserRouter(
  [
    {
      element: <Layout />,
      errorElement: <RouteError />,
      hydrateFallbackElement: <Loading />,
      children: [
        { path: 'login', lazy: () => import('./screens/login') },
        { path: 'merchants', lazy: () => import('./screens/merchants') },
        {
          element: <RequireSession />,
          children: [
            { index: true, lazy: () => import('./screens/rounds') },
            { path: 'verify', lazy: () => import('./screens/verify') },
            { path: 'wallet', lazy: () => import('./screens/wallet') },
            { path: 'wallet/:id', lazy: () => import('./screens/voucher') },
          ],
        },
        { path: '*', element: <Navigate to="/" replace /> },
      ],
    },
  ],
  { basename: '/h5' },
);

function Localised() {
  const { i18n: current } = useTranslation();
  return (
    <ConfigProvider locale={current.language === 'en' ? enUS : zhCNLocale}>
      <RouterProvider router={router} />
    </ConfigProvider>
  );
}

export function App() {
  return (
    <I18nextProvider i18n={i18n}>
      <QueryClientProvider client={queryClient}>
        <Localised />
      </QueryClientProvider>
    </I18nextProvider>
  );
}
