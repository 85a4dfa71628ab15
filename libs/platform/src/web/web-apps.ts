/**
 * The web apps the api serves from its own origin, each built by Vite into dist/web/<dir> and served at
 * <path>. One table for the api, `npm start`, the Vite configuration and the bench. Kept free of imports,
 * since the Vite configuration reads it too.
 */
export interface WebApp {
  /** Folder under apps/ and under dist/web/. */
  dir: string;
  /** URL path it is served at, with both slashes. */
  path: string;
  /** What `npm start` prints beside its URL. */
  title: string;
}

export const WEB_APPS: readonly WebApp[] = [
  { dir: 'resident', path: '/h5/', title: 'Resident H5' },
  { dir: 'till', path: '/till/', title: 'Cashier till' },
  { dir: 'console', path: '/console/', title: 'Bureau console' },
];
