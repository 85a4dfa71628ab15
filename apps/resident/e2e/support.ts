import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import jsQR from 'jsqr';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { DataSource } from 'typeorm';
import { createDataSource } from '@quan/data';
import { DEMO_PASSWORD, seedDemoCity } from '@quan/demo';
import { createTestEnvironment, REPO_ROOT, startCompiledService, type StartedService, type TestEnvironment } from '@quan/testing';

/**
 * One api (compiled, serving the built H5 from dist/web, as `npm start` runs it) and one Chromium for all of
 * the resident's browser specs, on a database of its own with the demo city seeded.
 */
export interface ResidentStack {
  env: TestEnvironment;
  db: DataSource;
  api: StartedService;
  browser: Browser;
  /** http://127.0.0.1:PORT */
  origin: string;
  close(): Promise<void>;
}

/** Tokens live 10 s here (the least the api allows), so "a minute later" is one renewal away. */
export const QR_TOKEN_TTL_S = 10;
export const PHONE = { width: 390, height: 844 };
/**
 * Every run saves each screen under dist/e2e/screenshots/resident; `RESIDENT_SCREENSHOTS=docs` writes them over the
 * committed ones in docs/screenshots instead (times, codes and QR codes differ on every run, so a plain
 * `npm test` must not touch tracked files).
 */
const SCREENSHOTS = process.env.RESIDENT_SCREENSHOTS === 'docs' ? join(REPO_ROOT, 'docs', 'screenshots') : join(REPO_ROOT, 'dist', 'e2e', 'screenshots', 'resident');
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export async function startResidentStack(): Promise<ResidentStack> {
  if (!existsSync(join(REPO_ROOT, 'dist', 'web', 'resident', 'index.html'))) throw new Error('dist/web/resident is not built (npm run build:web)');
  const env = await createTestEnvironment({ QR_TOKEN_TTL_S });
  const db = createDataSource(env.config);
  await db.initialize();
  await seedDemoCity(db);
  const api = await startCompiledService('apps/api/src/main.js', 'PORT', {
    DATABASE_URL: env.config.DATABASE_URL,
    REDIS_URL: env.config.REDIS_URL,
    REDIS_KEY_PREFIX: env.config.REDIS_KEY_PREFIX,
    QR_TOKEN_TTL_S: String(QR_TOKEN_TTL_S),
    LOG_LEVEL: 'warn',
  });
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-dev-shm-usage'] });
  return {
    env, db, api, browser, origin: api.url,
    async close() {
      await browser.close();
      api.child.kill('SIGTERM');
      await api.exited;
      await db.destroy();
      await env.dispose();
    },
  };
}

/** A phone: 390×844, touch, zh-CN, in the city's time zone. */
export function phoneContext(stack: ResidentStack): Promise<BrowserContext> {
  return stack.browser.newContext({
    baseURL: `${stack.origin}/h5/`,
    viewport: PHONE,
    isMobile: true,
    hasTouch: true,
    deviceScaleFactor: 1,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
  });
}

/** A call to the api as a test client would make it; any non-2xx throws with the answer. */
export async function call<T>(stack: ResidentStack, method: string, path: string, options: { token?: string; body?: unknown; headers?: Record<string, string> } = {}): Promise<T> {
  const response = await fetch(`${stack.origin}/api/v1${path}`, {
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

export async function staffToken(stack: ResidentStack, username: string): Promise<string> {
  return (await call<{ accessToken: string }>(stack, 'POST', '/auth/staff/login', { body: { username, password: DEMO_PASSWORD } })).accessToken;
}

let serial = 0;

/** A phone number and a valid ID number (GB 11643 check character) no other resident of the run has. */
export function newPerson(): { phone: string; idNumber: string } {
  serial += 1;
  const n = String((process.pid * 100 + serial) % 1_000_000).padStart(6, '0');
  const body = `11010519800101${n.slice(-3)}`;
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = weights.reduce((total, weight, i) => total + weight * Number(body[i]), 0);
  return { phone: `137${n}${String(serial % 100).padStart(2, '0')}`, idNumber: body + '10X98765432'[sum % 11] };
}

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
}

/** A resident logged in and verified through the api, not the page (another claimant, or a page's session). */
export async function verifiedResident(stack: ResidentStack, idNumber = newPerson().idNumber): Promise<TokenPair> {
  const { phone } = newPerson();
  const { devCode } = await call<{ devCode: string }>(stack, 'POST', '/auth/otp', { body: { phone } });
  const login = await call<TokenPair>(stack, 'POST', '/auth/login', { body: { phone, code: devCode } });
  return call<TokenPair>(stack, 'POST', '/me/identity', { token: login.accessToken, body: { name: '李四', idNumber } });
}

/** A phone already signed in as a verified resident (its session where the app keeps it). */
export async function signedInContext(stack: ResidentStack): Promise<{ context: BrowserContext; tokens: TokenPair; idNumber: string }> {
  const { idNumber } = newPerson();
  const tokens = await verifiedResident(stack, idNumber);
  const context = await phoneContext(stack);
  await context.addInitScript(`localStorage.getItem('quan.resident.session') || localStorage.setItem('quan.resident.session', ${JSON.stringify(JSON.stringify(tokens))})`);
  return { context, tokens, idNumber };
}

export interface OpenedRound {
  campaignId: string;
  roundId: string;
  offerId: string;
  /** Epoch ms, a whole second. */
  opensAt: number;
}

/**
 * A published campaign (drafted by `admin`, approved by `approver`, through the api) with one first-come
 * round of one offer: a pack of two 满30减5 vouchers, usable at any merchant, valid 7 days from the claim.
 */
export async function publishedRound(stack: ResidentStack, options: { opensInMs: number; stock: number; perPerson?: number }): Promise<OpenedRound> {
  const [maker, checker] = await Promise.all([staffToken(stack, 'admin'), staffToken(stack, 'approver')]);
  const now = Date.now();
  const opensAt = Math.ceil((now + options.opensInMs) / 1000) * 1000;
  serial += 1;
  const campaign = await call<{ id: string }>(stack, 'POST', '/campaigns', {
    token: maker,
    body: {
      code: `E2E-${now.toString(36).toUpperCase()}-${serial}`,
      name: `浏览器测试券 ${serial}`,
      budgetFen: 5_000_000,
      startsAt: new Date(now - 3600_000).toISOString(),
      endsAt: new Date(now + 30 * 86400_000).toISOString(),
      limits: { perPerson: options.perPerson ?? 1 },
    },
  });
  const voucherType = await call<{ id: string }>(stack, 'POST', `/campaigns/${campaign.id}/voucher-types`, {
    token: maker,
    body: { name: '满30减5', kind: 'threshold', thresholdFen: 3000, discountFen: 500, validityKind: 'days_from_claim', validDays: 7 },
  });
  const round = await call<{ id: string; offers: { id: string }[] }>(stack, 'POST', `/campaigns/${campaign.id}/rounds`, {
    token: maker,
    body: {
      name: '第一场',
      mode: 'first_come',
      opensAt: new Date(opensAt).toISOString(),
      closesAt: new Date(now + 3600_000).toISOString(),
      offers: [{ name: '满减券包', stock: options.stock, items: [{ voucherTypeId: voucherType.id, quantity: 2 }] }],
    },
  });
  await call(stack, 'POST', `/campaigns/${campaign.id}/submit`, { token: maker });
  await call(stack, 'POST', `/campaigns/${campaign.id}/approve`, { token: checker });
  // The api lists rounds from a snapshot refreshed in the background: wait until it lists this one, so a page
  // opened now sees it at once rather than at its next poll, 10 s later.
  for (let tries = 0; ; tries += 1) {
    const listed = await call<{ id: string }[]>(stack, 'GET', '/rounds?status=open,upcoming');
    if (listed.some((listing) => listing.id === round.id)) break;
    if (tries > 50) throw new Error(`round ${round.id} is not listed`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { campaignId: campaign.id, roundId: round.id, offerId: round.offers[0].id, opensAt };
}

/** Saves what the resident sees (the README shows the main ones from docs/screenshots). */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), animations: 'disabled', caret: 'hide' });
}

interface AxeViolation {
  id: string;
  impact: string;
  nodes: string[];
}

/** axe-core's serious and critical violations on the page as it is now (none expected). */
export async function seriousViolations(page: Page): Promise<AxeViolation[]> {
  // Judge the settled screen, not a button halfway through its 0.15 s fade from disabled.
  await page.addStyleTag({ content: '*, *::before, *::after { transition: none !important; animation: none !important; }' });
  if (!(await page.evaluate('typeof window.axe === "object"'))) await page.evaluate(AXE_SOURCE);
  return page.evaluate(`axe.run(document, { resultTypes: ['violations'] }).then((result) => result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.map((n) => n.target.join(' ') + ': ' + n.failureSummary) })))`);
}

/**
 * The text of the QR code on screen, decoded with jsQR from a screenshot of it. Chromium itself turns the
 * PNG into pixels (a canvas), so the test needs no image library.
 */
export async function readQrCode(page: Page, name: string): Promise<string> {
  const png = await page.getByRole('img', { name }).screenshot();
  const { width, height, rgba } = await page.evaluate<{ width: number; height: number; rgba: string }>(`(async () => {
    const image = new Image();
    image.src = 'data:image/png;base64,${png.toString('base64')}';
    await image.decode();
    const canvas = document.createElement('canvas');
    canvas.width = image.width;
    canvas.height = image.height;
    const context = canvas.getContext('2d');
    context.drawImage(image, 0, 0);
    const bytes = context.getImageData(0, 0, image.width, image.height).data;
    let binary = '';
    for (let i = 0; i < bytes.length; i += 8192) binary += String.fromCharCode(...bytes.subarray(i, i + 8192));
    return { width: image.width, height: image.height, rgba: btoa(binary) };
  })()`);
  const decoded = jsQR(new Uint8ClampedArray(Buffer.from(rgba, 'base64')), width, height);
  if (!decoded) throw new Error(`no QR code could be read from ${width}×${height} pixels`);
  return decoded.data;
}
