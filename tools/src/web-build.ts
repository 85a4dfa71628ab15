import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { WEB_APPS, WebApp } from '@quan/platform';
import { runToEnd } from './processes';
import { ROOT, say } from './services';

export const WEB_DIST = join(ROOT, 'dist', 'web');

/** What a web app's build depends on besides its own folder: a change to any of these rebuilds it. */
export const SHARED_INPUTS = [
  'libs/web',
  'libs/domain/src',
  'libs/platform/src/web/web-apps.ts',
  'tools/vite',
  'tsconfig.base.json',
  'tsconfig.web.json',
  'package-lock.json',
];
/** Specs (unit and browser) are not part of the build. */
const NOT_INPUT = /(^|\/)(e2e|node_modules)(\/|$)|\.spec\.tsx?$/;
/** Text files the browser fetches, stored compressed beside themselves for the api to send as they are. */
const COMPRESSIBLE = /\.(js|mjs|css|html|svg|json|txt|webmanifest)$/;

function filesUnder(path: string): string[] {
  if (!existsSync(path)) return [];
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path, { withFileTypes: true }).flatMap((entry) => filesUnder(join(path, entry.name)));
}

/** A hash of every input of the app's build: its folder, the web and domain libs, the build configuration, the lock file. */
export function inputHash(app: WebApp, root = ROOT): string {
  const hash = createHash('sha256');
  const files = [join('apps', app.dir), ...SHARED_INPUTS]
    .flatMap((input) => filesUnder(join(root, input)))
    .map((file) => relative(root, file));
  for (const file of files.filter((f) => !NOT_INPUT.test(f)).sort()) {
    hash.update(`${file}\0`);
    hash.update(readFileSync(join(root, file)));
    hash.update('\0');
  }
  return hash.digest('hex');
}

/** Where the hash of the inputs of the last build is kept: beside its output folder, which Vite empties. */
const hashFile = (app: WebApp) => join(WEB_DIST, `${app.dir}.build-hash`);

/** The apps that exist in this tree (each has its Vite configuration). */
export function webApps(): WebApp[] {
  return WEB_APPS.filter((app) => existsSync(join(ROOT, 'apps', app.dir, 'vite.config.ts')));
}

function isBuildCurrent(app: WebApp, hash: string): boolean {
  return (
    existsSync(join(WEB_DIST, app.dir, 'index.html')) &&
    existsSync(hashFile(app)) &&
    readFileSync(hashFile(app), 'utf8') === hash
  );
}

function precompress(dir: string): void {
  for (const file of filesUnder(dir).filter((f) => COMPRESSIBLE.test(f))) {
    const content = readFileSync(file);
    writeFileSync(`${file}.gz`, gzipSync(content, { level: 9 }));
    writeFileSync(
      `${file}.br`,
      brotliCompressSync(content, {
        params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: content.length },
      }),
    );
  }
}

/**
 * Builds each web app with Vite into dist/web/<app> and compresses its files, unless (without `force`)
 * the hash of its inputs equals the one stored at its last build. Throws when a build fails.
 */
export async function buildWebApps(options: { force?: boolean } = {}): Promise<void> {
  for (const app of webApps()) {
    const hash = inputHash(app);
    if (!options.force && isBuildCurrent(app, hash)) {
      say(`web app ${app.dir} is up to date (${app.path})`);
      continue;
    }
    say(`building web app ${app.dir} (vite)`);
    const vite = join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js');
    const code = await runToEnd(
      process.execPath,
      [vite, 'build', '--config', join(ROOT, 'apps', app.dir, 'vite.config.ts'), '--logLevel', 'warn'],
      {
        cwd: ROOT,
        // The configuration is TypeScript loaded the default way (bundled); Vite 8 only warns it may change that default.
        env: { ...process.env, VITE_CONFIG_NATIVE_IGNORE_WARNING: 'true' },
      },
    );
    if (code !== 0) throw new Error(`the build of web app ${app.dir} failed (vite exit code ${code})`);
    precompress(join(WEB_DIST, app.dir));
    writeFileSync(hashFile(app), hash);
  }
}
