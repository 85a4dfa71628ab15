import { createBrowserRouter, Navigate } from 'react-router';
import { RequireSession, RouteError, MobileLocale, WebAppRoot } from '@quan/web-ui';
import { i18n } from './i18n';
import { Layout, RequireAdmin } from './layout';
import { queryClient } from './query';
import { session } from './runtime';

/** The checkout is in the first chunk (a till opens on it); the rest load when first visited. */
const router = createBrowserRouter(
  [
    {
      element: <Layout />,
      errorElement: <RouteError />,
      children: [
        { path: 'login', lazy: () => import('./screens/login') },
        {
          element: <RequireSession session={session} />,
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

export function App() {
  return <WebAppRoot i18n={i18n} queryClient={queryClient} router={router} locale={MobileLocale} />;
}
