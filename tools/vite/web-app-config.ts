import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig, type UserConfig } from 'vite';

const REPO = join(__dirname, '..', '..');

/** Where `vite build` writes an app; the api serves that folder (libs/platform/src/web). */
export function webOutDir(app: string): string {
  return join(REPO, 'dist', 'web', app);
}

/** The browser aliases of tsconfig.web.json (@quan/domain is its browser entry there), so Vite and tsc agree. */
function webAliases(): Record<string, string> {
  const { compilerOptions } = JSON.parse(readFileSync(join(REPO, 'tsconfig.web.json'), 'utf8')) as { compilerOptions: { paths: Record<string, [string]> } };
  return Object.fromEntries(Object.entries(compilerOptions.paths).map(([alias, [target]]) => [alias, join(REPO, target)]));
}

export interface WebAppOptions {
  /** Folder under apps/: resident, till, console. */
  app: string;
  /** Path the api serves it under, with slashes: '/h5/'. */
  base: string;
}

/**
 * The one Vite configuration of the web apps: React; the shared aliases; output in dist/web/<app> with
 * a manifest (the bench reads the first screen's chunks from it); React and the router in a chunk of
 * their own, since they change least; `npm run dev:web` proxies /api to the api on PORT.
 */
export function webAppConfig({ app, base }: WebAppOptions): UserConfig {
  return defineConfig({
    root: join(REPO, 'apps', app),
    base,
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
            groups: [{ name: 'react', test: /node_modules[\\/](react|react-dom|scheduler|react-router)[\\/]/ }],
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
