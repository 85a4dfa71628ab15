import { createBrowserRouter, Navigate } from 'react-router';
import { RequireSession, WebAppRoot } from '@quan/web-ui';
import { createQueryClient } from '@quan/web-core';
import { i18n } from './i18n';
import { ConsoleLayout, RequireRoles, Start } from './layout';
import { ConsoleLocale } from './locale';
import { ConsoleLoading, ConsoleRouteError } from './route-error';
import { staff } from './runtime';
import { SECTIONS } from './sections';

const queryClient = createQueryClient();

/** Each section under /console/<key>/, for its roles; every screen is a lazy chunk of its section. */
const router = createBrowserRouter(
  [
    {
      errorElement: <ConsoleRouteError />,
      hydrateFallbackElement: <ConsoleLoading />,
      children: [
        { path: 'login', lazy: () => import('./screens/login') },
        {
          element: <RequireSession session={staff.session} />,
          children: [
            {
              element: <ConsoleLayout />,
              children: [
                { index: true, element: <Start /> },
                ...SECTIONS.map((section) => ({
                  path: section.key,
                  element: <RequireRoles roles={section.roles} />,
                  // Inside the layout: a section that fails keeps the menu, so the others stay in reach.
                  errorElement: <ConsoleRouteError />,
                  children: section.routes,
                })),
              ],
            },
          ],
        },
        { path: '*', element: <Navigate to="/" replace /> },
      ],
    },
  ],
  { basename: '/console' },
);

export function App() {
  return <WebAppRoot i18n={i18n} queryClient={queryClient} router={router} locale={ConsoleLocale} />;
}
