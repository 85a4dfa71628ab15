import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import jsQR from 'jsqr';
import { Client } from 'pg';
import type { Page } from 'playwright-core';
import { createDataSource } from '@quan/data';
import { DEMO_PASSWORD, seedDemoCity } from '@quan/demo';
import {
  axe,
  type ApiCallOptions,
  type AxeViolation,
  callApi,
  type BrowserSuite,
  type BrowserTestContext,
  REPO_ROOT,
  useBrowserSuite,
} from '@quan/testing';

/** Tokens live 10 s here (the least the api allows), so "a minute later" is one renewal away. */
export const QR_TOKEN_TTL_S = 10;

/**
 * Every run saves each screen under dist/e2e/screenshots/resident; `RESIDENT_SCREENSHOTS=docs` writes them over the
 * committed ones in docs/screenshots instead (times, codes and QR codes differ on every run, so a plain
 * `npm test` must not touch tracked files).
 */
const SCREENSHOTS =
  process.env.RESIDENT_SCREENSHOTS === 'docs'
    ? join(REPO_ROOT, 'docs', 'screenshots')
    : join(REPO_ROOT, 'dist', 'e2e', 'screenshots', 'resident');

/** The shared browser suite (one api, the run's Chromium) on the demo city, with short-lived QR tokens. */
export function residentSuite(file: string): BrowserSuite {
  return useBrowserSuite(file, {
    config: { QR_TOKEN_TTL_S },
    prepare: async (config) => {
      const db = createDataSource(config);
      await db.initialize();
      await seedDemoCity(db, config).finally(() => db.destroy());
    },
  });
}

/** A look behind the api, in its own database. */
export async function sql<T>(suite: BrowserSuite, text: string, params: unknown[] = []): Promise<T[]> {
  const client = new Client({ connectionString: suite.env.config.DATABASE_URL });
  await client.connect();
  try {
    return (await client.query(text, params)).rows as T[];
  } finally {
    await client.end();
  }
}

/** A call to the api as a test client would make it; any non-2xx throws with the answer. */
export function call<T>(suite: BrowserSuite, method: string, path: string, options: ApiCallOptions = {}): Promise<T> {
  return callApi<T>(suite.baseUrl, method, path, options);
}

export async function staffToken(suite: BrowserSuite, username: string): Promise<string> {
  return (
    await call<{ accessToken: string }>(suite, 'POST', '/auth/staff/login', {
      body: { username, password: DEMO_PASSWORD },
    })
  ).accessToken;
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
export async function verifiedResident(suite: BrowserSuite, idNumber = newPerson().idNumber): Promise<TokenPair> {
  const { phone } = newPerson();
  const { devCode } = await call<{ devCode: string }>(suite, 'POST', '/auth/otp', { body: { phone } });
  const login = await call<TokenPair>(suite, 'POST', '/auth/login', { body: { phone, code: devCode } });
  return call<TokenPair>(suite, 'POST', '/me/identity', { token: login.accessToken, body: { name: '李四', idNumber } });
}

/** A phone already signed in as a verified resident (its session where the app keeps it). */
export async function signedInPage(
  suite: BrowserSuite,
): Promise<BrowserTestContext & { tokens: TokenPair; idNumber: string }> {
  const { idNumber } = newPerson();
  const tokens = await verifiedResident(suite, idNumber);
  const phone = await suite.newPage();
  await phone.page.addInitScript(
    `localStorage.getItem('quan.resident.session') || localStorage.setItem('quan.resident.session', ${JSON.stringify(JSON.stringify(tokens))})`,
  );
  return { ...phone, tokens, idNumber };
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
export async function publishedRound(
  suite: BrowserSuite,
  options: { opensInMs: number; stock: number; perPerson?: number },
): Promise<OpenedRound> {
  const [maker, checker] = await Promise.all([staffToken(suite, 'admin'), staffToken(suite, 'approver')]);
  const now = Date.now();
  const opensAt = Math.ceil((now + options.opensInMs) / 1000) * 1000;
  serial += 1;
  const campaign = await call<{ id: string }>(suite, 'POST', '/campaigns', {
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
  const voucherType = await call<{ id: string }>(suite, 'POST', `/campaigns/${campaign.id}/voucher-types`, {
    token: maker,
    body: {
      name: '满30减5',
      kind: 'threshold',
      thresholdFen: 3000,
      discountFen: 500,
      validityKind: 'days_from_claim',
      validDays: 7,
    },
  });
  const round = await call<{ id: string; offers: { id: string }[] }>(
    suite,
    'POST',
    `/campaigns/${campaign.id}/rounds`,
    {
      token: maker,
      body: {
        name: '第一场',
        mode: 'first_come',
        opensAt: new Date(opensAt).toISOString(),
        closesAt: new Date(now + 3600_000).toISOString(),
        offers: [{ name: '满减券包', stock: options.stock, items: [{ voucherTypeId: voucherType.id, quantity: 2 }] }],
      },
    },
  );
  await call(suite, 'POST', `/campaigns/${campaign.id}/submit`, { token: maker });
  await call(suite, 'POST', `/campaigns/${campaign.id}/approve`, { token: checker });
  // The api lists rounds from a snapshot refreshed in the background: wait until it lists this one, so a page
  // opened now sees it at once rather than at its next poll, 10 s later.
  for (let tries = 0; ; tries += 1) {
    const listed = await call<{ id: string }[]>(suite, 'GET', '/rounds?status=open,upcoming');
    if (listed.some((listing) => listing.id === round.id)) break;
    if (tries > 50) throw new Error(`round ${round.id} is not listed`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { campaignId: campaign.id, roundId: round.id, offerId: round.offers[0].id, opensAt };
}

/** Saves what the resident sees at the phone's CSS size (the README shows the main ones from docs/screenshots). */
export async function screenshot(page: Page, name: string, wholePage = false): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  if (!wholePage) {
    await page.screenshot({
      path: join(SCREENSHOTS, `${name}.png`),
      animations: 'disabled',
      caret: 'hide',
      scale: 'css',
    });
    return;
  }
  // A whole page from the top (axe may have scrolled), with the tab bar at its end instead of over the middle.
  await page.evaluate('window.scrollTo(0, 0)');
  const unpinned = await page.addStyleTag({ content: '.q-tabs { position: static !important; }' });
  await page.screenshot({
    path: join(SCREENSHOTS, `${name}.png`),
    animations: 'disabled',
    caret: 'hide',
    scale: 'css',
    fullPage: true,
  });
  await unpinned.evaluate('(style) => style.remove()');
}

/** axe-core's serious and critical violations on the settled screen (none expected). */
export async function seriousViolations(page: Page): Promise<AxeViolation[]> {
  // Judge the settled screen, not a button halfway through its 0.15 s fade from disabled.
  await page.addStyleTag({
    content: '*, *::before, *::after { transition: none !important; animation: none !important; }',
  });
  return axe(page);
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
