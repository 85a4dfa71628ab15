import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  chromium,
  type Browser,
  type BrowserContext,
  type BrowserServer,
  type LaunchOptions,
  type Page,
} from 'playwright-core';
import { AppConfig } from '@quan/config';
import { waitUntil } from '@quan/platform';
import { freePort, REPO_ROOT, startCompiled, StartedProcess } from './processes';
import { createTestEnvironment, TestEnvironment } from './test-environment';

/** Debian's chromium package; `npm test` installs it when missing (tools/src/services.ts). */
export const CHROMIUM_PATH = '/usr/bin/chromium';

/** Headless Chromium as the browser specs and `npm run bench:web` run it: quiet, no network of its own. */
export const CHROMIUM_LAUNCH: LaunchOptions = {
  executablePath: CHROMIUM_PATH,
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
};

/** A phone (390×844 CSS px, touch) in Chinese, in the city's time zone. */
export const PHONE = {
  viewport: { width: 390, height: 844 },
  deviceScaleFactor: 2,
  isMobile: true,
  hasTouch: true,
  locale: 'zh-CN',
  timezoneId: 'Asia/Shanghai',
} as const;

/**
 * A desktop browser (1440×900 CSS px, mouse) in Chinese, in the city's time zone: the bureau console's.
 * It asks for reduced motion, so popups close at once and axe judges only what is on screen.
 */
export const DESKTOP = {
  viewport: { width: 1440, height: 900 },
  deviceScaleFactor: 1,
  isMobile: false,
  hasTouch: false,
  reducedMotion: 'reduce',
  locale: 'zh-CN',
  timezoneId: 'Asia/Shanghai',
} as const;

/** Set by `npm test` for its jest run: the endpoint of the one Chromium all browser spec files share. */
export const SHARED_CHROMIUM_VARIABLE = 'QUAN_CHROMIUM_ENDPOINT';

function requireChromium(): void {
  if (!existsSync(CHROMIUM_PATH))
    throw new Error(
      `${CHROMIUM_PATH} is missing: install Debian's chromium package (apt-get install chromium); npm test does so when run as root`,
    );
}

/** One Chromium for a whole test run, which spec files in every jest worker connect to (see launchChromium). */
export function startSharedChromium(): Promise<BrowserServer> {
  requireChromium();
  return chromium.launchServer(CHROMIUM_LAUNCH);
}

/**
 * The run's shared Chromium when `npm test` started one (closing the result only disconnects), else a
 * Chromium of the caller's own (a spec run by jest directly, the bench).
 */
export function launchChromium(): Promise<Browser> {
  const shared = process.env[SHARED_CHROMIUM_VARIABLE];
  if (shared) return chromium.connect(shared);
  requireChromium();
  return chromium.launch(CHROMIUM_LAUNCH);
}

/**
 * The environment of a compiled api child for `config` (its own database and Redis prefix) on `port`,
 * with the settings a spec file chose (`overrides`) as variables.
 */
function apiEnv(config: AppConfig, port: number, overrides: Partial<AppConfig>): NodeJS.ProcessEnv {
  return {
    NODE_ENV: 'test',
    LOG_LEVEL: 'warn',
    ...Object.fromEntries(Object.entries(overrides).map(([name, value]) => [name, String(value)])),
    PORT: String(port),
    DATABASE_URL: config.DATABASE_URL,
    REDIS_URL: config.REDIS_URL,
    REDIS_KEY_PREFIX: config.REDIS_KEY_PREFIX,
  };
}

export interface AxeViolation {
  id: string;
  impact: 'serious' | 'critical';
  help: string;
  targets: string[];
}

/** axe-core's source, injected into pages as is (its Playwright wrapper needs Node 22). */
let axeSource: string | undefined;

/** Runs axe-core on the page as it is now; returns its serious and critical violations (expect none). */
export async function axe(page: Page): Promise<AxeViolation[]> {
  axeSource ??= readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
  // Evaluated through the protocol, not a <script> tag, which the apps' content security policy refuses.
  if (!(await page.evaluate('typeof axe !== "undefined"'))) await page.evaluate(axeSource);
  // A string, run in the page: this code is compiled without the DOM's types.
  const found = (await page.evaluate(
    `axe.run(document, { resultTypes: ['violations'] }).then((r) => r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => n.target.join(' ')) })))`,
  )) as { id: string; impact: string | null; help: string; targets: string[] }[];
  return found.filter((v): v is AxeViolation => v.impact === 'serious' || v.impact === 'critical');
}

export interface ApiCallOptions {
  token?: string;
  body?: unknown;
  headers?: Record<string, string>;
}

/** A call to the api at `baseUrl` as a test client would make it (path under /api/v1); any non-2xx throws with the answer. */
export async function callApi<T>(
  baseUrl: string,
  method: string,
  path: string,
  options: ApiCallOptions = {},
): Promise<T> {
  const response = await fetch(`${baseUrl}/api/v1${path}`, {
    method,
    headers: {
      ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      ...options.headers,
    },
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

export interface BrowserTestContext {
  page: Page;
  context: BrowserContext;
}

export interface BrowserSuite {
  /** http://127.0.0.1:<port>: the api with the built web apps (dist/web), e.g. `${baseUrl}/h5/`. */
  readonly baseUrl: string;
  /** The api's own database and Redis prefix (read or change data with it). */
  readonly env: TestEnvironment;
  readonly browser: Browser;
  /** A fresh context (the suite's device: a phone unless it chose the desktop) and page (closed after the test). */
  newPage(): Promise<BrowserTestContext>;
  /**
   * A test with a fresh page on the suite's device. When it fails, a screenshot and a Playwright trace of each of its
   * pages are saved under dist/e2e/<file>/<test>/ (open the trace with `npx playwright-core show-trace`).
   */
  test(name: string, body: (t: BrowserTestContext) => Promise<void>, timeoutMs?: number): void;
}

const ARTEFACTS = join(REPO_ROOT, 'dist', 'e2e');

export interface BrowserSuiteOptions {
  /** Settings of the api (e.g. `{ QR_TOKEN_TTL_S: 10 }`); `suite.env.config` has them too. */
  config?: Partial<AppConfig>;
  /** Runs on the api's database before the api starts (e.g. seed the demo city). */
  prepare?: (config: AppConfig) => Promise<void>;
  /** The device of every page: PHONE (the default, the resident H5 and the till) or DESKTOP (the console). */
  device?: typeof PHONE | typeof DESKTOP;
}

/**
 * Sets up a browser spec file: one real api for the file (the compiled one, serving dist/web, on a
 * database of its own) and the run's Chromium (its own when run outside `npm test`), a fresh context per
 * test; call it at the top of a `describe` with `__filename`. `npm test` installs Chromium, builds the
 * web apps and starts the shared Chromium before jest.
 */
export function useBrowserSuite(file: string, options: BrowserSuiteOptions = {}): BrowserSuite {
  let env: TestEnvironment | undefined;
  let api: StartedProcess | undefined;
  let browser: Browser | undefined;
  let baseUrl = '';
  const open = new Set<BrowserContext>();
  const need = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`${what} is not ready: use the suite inside tests`);
    return value;
  };

  beforeAll(async () => {
    env = await createTestEnvironment(options.config);
    await options.prepare?.(env.config);
    const port = await freePort();
    api = startCompiled('apps/api/src/main.js', apiEnv(env.config, port, options.config ?? {}));
    baseUrl = `http://127.0.0.1:${port}`;
    const started = api;
    await waitUntil(
      'the api being ready',
      async () => {
        if (started.child.exitCode !== null) throw new Error(`the api exited:\n${started.output()}`);
        return (await fetch(`${baseUrl}/health/ready`).catch(() => undefined))?.ok === true;
      },
      60000,
    );
    browser = await launchChromium();
  }, 120000);

  afterAll(async () => {
    await browser?.close();
    if (api && api.child.exitCode === null) {
      api.child.kill('SIGTERM');
      await api.exited;
    }
    await env?.dispose();
  }, 60000);

  const suite: BrowserSuite = {
    get baseUrl() {
      return baseUrl;
    },
    get env() {
      return need(env, 'the test environment');
    },
    get browser() {
      return need(browser, 'Chromium');
    },
    async newPage() {
      const context = await need(browser, 'Chromium').newContext({ ...(options.device ?? PHONE), baseURL: baseUrl });
      await context.tracing.start({ screenshots: true, snapshots: true });
      open.add(context);
      return { context, page: await context.newPage() };
    },
    test(name, body, timeoutMs = 60000) {
      it(
        name,
        async () => {
          const t = await suite.newPage();
          try {
            await body(t);
          } catch (error) {
            await saveArtefacts(file, name, [...open]);
            throw error;
          } finally {
            for (const context of open) await context.close().catch(() => undefined);
            open.clear();
          }
        },
        timeoutMs,
      );
    },
  };
  return suite;
}

async function saveArtefacts(file: string, test: string, contexts: BrowserContext[]): Promise<void> {
  const dir = join(
    ARTEFACTS,
    file.replace(/^.*[\\/]/, '').replace(/\.spec\.tsx?$/, ''),
    test.replace(/[^\p{L}\p{N}]+/gu, '-').slice(0, 80),
  );
  mkdirSync(dir, { recursive: true });
  for (const [i, context] of contexts.entries()) {
    for (const [j, page] of context.pages().entries())
      await page.screenshot({ path: join(dir, `page-${i}-${j}.png`), fullPage: true }).catch(() => undefined);
    await context.tracing.stop({ path: join(dir, `trace-${i}.zip`) }).catch(() => undefined);
  }
  process.stderr.write(`browser test failed: screenshots and trace in ${dir}\n`);
}
