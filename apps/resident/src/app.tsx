import { createBrowserRouter, Navigate } from 'react-router';
import { Loading, RequireSession, RouteError, MobileLocale, WebAppRoot } from '@quan/web-ui';
import { i18n } from './i18n';
import { Layout } from './layout';
import { queryClient } from './query';
import { session } from './runtime';

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
          element: <RequireSession session={session} />,
          children: [
            { index: true, lazy: () => import('./screens/rounds') },
            { path: 'verify', lazy: () => import('./screens/verify') },
            { path: 'wallet', lazy: () => import('./screens/wallet') },
            { path: 'wallet/:id', lazy: () => import('./screens/voucher') },
            { path: 'lottery/:roundId', lazy: () => import('./screens/lottery') },
          ],
        },
        { path: '*', element: <Navigate to="/" replace /> },
      ],
    },
  ],
  { basename: '/h5' },
);

export function App() {
  return <WebAppRoot i18n={i18n} queryClient={queryClient} router={router} locale={MobileLocale} />;
}
