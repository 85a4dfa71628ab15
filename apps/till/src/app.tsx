import { QueryClientProvider } from '@tanstack/react-query';
import { ConfigProvider } from 'antd-mobile';
import enUS from 'antd-mobile/es/locales/en-US';
import zhCNLocale from 'antd-mobile/es/locales/zh-CN';
import { I18nextProvider, useTranslation } from 'react-i18next';
import { createBrowserRouter, Navigate, RouterProvider } from 'react-router';
import { i18n } from './i18n';
import { Layout, RequireAdmin, RequireSession, RouteError } from './layout';
import { queryClient } from './query';

/** The checkout is in the first chunk (a till opens on it); the rest load when first visited. */
const router = createBrowserRouter(
  [
    {
      element: <Layout />,
      errorElement: <RouteError />,
      children: [
        { path: 'login', lazy: () => import('./screens/login') },
        {
          element: <RequireSession />,
          children: [
            { index: true, lazy: () => import('./screens/checkout') },
            { path: 'receipt/:id', lazy: () => import('./screens/receipt') },
            { path: 'today', lazy: () => import('./screens/today') },
            {
              element: <RequireAdmin />,
              children: [
                { path: 'cashiers', lazy: () => import('./screens/cashiers') },
                { path: 'statements', lazy: () => import('./screens/statements') },
                { path: 'statements/:id', lazy: () => import('./screens/statement') },
              ],
            },
          ],
        },
        { path: '*', element: <Navigate to="/" replace /> },
      ],
    },
  ],
  { basename: '/till' },
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
