import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig, type UserConfig } from 'vite';
// By path, not @quan/platform: Vite bundles this file without the aliases, and the table imports nothing.
// eslint-disable-next-line @nx/enforce-module-boundaries
import { WEB_APPS } from '../../libs/platform/src/web/web-apps';

const REPO = join(__dirname, '..', '..');

/** Where `vite build` writes an app; the api serves that folder (libs/platform/src/web). */
export function webOutDir(app: string): string {
  return join(REPO, 'dist', 'web', app);
}

/** The browser aliases of tsconfig.web.json (@quan/domain is its browser entry there), so Vite and tsc agree. */
function webAliases(): Record<string, string> {
  const { compilerOptions } = JSON.parse(readFileSync(join(REPO, 'tsconfig.web.json'), 'utf8')) as {
    compilerOptions: { paths: Record<string, [string]> };
  };
  return Object.fromEntries(
    Object.entries(compilerOptions.paths).map(([alias, [target]]) => [alias, join(REPO, target)]),
  );
}

export interface WebAppOptions {
  /** Folder under apps/: resident, till, console. */
  app: string;
  /** Path the api serves it under, with slashes ('/h5/'); by default the one of WEB_APPS. */
  base?: string;
  /** Libraries in chunks of their own beyond React's (the console's antd, ECharts), loaded with what needs them. */
  chunks?: { name: string; test: RegExp }[];
}

/**
 * The one Vite configuration of the web apps: React; the shared aliases; output in dist/web/<app> with
 * a manifest (the bench reads the first screen's chunks from it); React and the router in a chunk of
 * their own, since they change least; `npm run dev:web` proxies /api to the api on PORT.
 */
export function webAppConfig({ app, base, chunks = [] }: WebAppOptions): UserConfig {
  const served = WEB_APPS.find((web) => web.dir === app);
  if (!served) throw new Error(`${app} is not in WEB_APPS (libs/platform/src/web/web-apps.ts)`);
  return defineConfig({
    root: join(REPO, 'apps', app),
    base: base ?? served.path,
    plugins: [react()],
    resolve: { alias: webAliases() },
    build: {
      outDir: webOutDir(app),
      emptyOutDir: true,
      manifest: true,
      target: 'es2020',
      rolldownOptions: {
        output: {
          codeSplitting: {
            groups: [
              { name: 'react', test: /node_modules[\\/](react|react-dom|scheduler|react-router)[\\/]/ },
              ...chunks,
            ],
          },
        },
      },
    },
    server: {
      port: Number(process.env.WEB_DEV_PORT ?? 5173),
      proxy: { '/api': `http://127.0.0.1:${process.env.PORT ?? 3000}` },
    },
  });
}
