import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Logger } from '@nestjs/common';
import type { Page } from 'playwright-core';
import { createDataSource } from '@quan/data';
import { DEMO_PASSWORD, seedDemoCity, seedSettledDay } from '@quan/demo';
import {
  axe,
  type ApiCallOptions,
  type AxeViolation,
  callApi,
  type BrowserSuite,
  DESKTOP,
  REPO_ROOT,
  useBrowserSuite,
} from '@quan/testing';

/**
 * Every run saves each screen under dist/e2e/screenshots/console; `CONSOLE_SCREENSHOTS=docs` writes them over
 * the committed docs/screenshots/console-*.png instead (figures and times differ on every run).
 */
const SCREENSHOTS =
  process.env.CONSOLE_SCREENSHOTS === 'docs'
    ? join(REPO_ROOT, 'docs', 'screenshots')
    : join(REPO_ROOT, 'dist', 'e2e', 'screenshots', 'console');

/**
 * The shared browser suite on a desktop (1440×900) against one api on the seeded demo city; with `history`,
 * also the demo's two weeks of redemptions, settled and folded into the reports (`npm start` seeds both).
 */
export function consoleSuite(file: string, options: { history?: boolean } = {}): BrowserSuite {
  return useBrowserSuite(file, {
    device: DESKTOP,
    prepare: async (config) => {
      const db = createDataSource(config);
      await db.initialize();
      try {
        await seedDemoCity(db, config);
        if (options.history) {
          // The settlement run logs each day it settles, as it should in the worker; here it would bury the test output.
          Logger.overrideLogger(['warn', 'error']);
          await seedSettledDay(db, config);
        }
      } finally {
        await db.destroy();
      }
    },
  });
}

/** A call to the api as a test client would make it; any non-2xx throws with the answer. */
export function call<T>(suite: BrowserSuite, method: string, path: string, options: ApiCallOptions = {}): Promise<T> {
  return callApi<T>(suite.baseUrl, method, path, options);
}

/** A demo staff account's access token (every demo account has the demo password). */
export async function staffToken(suite: BrowserSuite, username: string): Promise<string> {
  return (
    await call<{ accessToken: string }>(suite, 'POST', '/auth/staff/login', {
      body: { username, password: DEMO_PASSWORD },
    })
  ).accessToken;
}

/** Signs in through the console's login screen (zh-CN) and waits for the signed-in frame. */
export async function signIn(page: Page, username: string, path = '/console/'): Promise<void> {
  await page.goto(path);
  await page.getByLabel('账号').fill(username);
  await page.getByLabel('密码').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: /登\s*录/ }).click();
  await page.getByTestId('account-name').waitFor();
}

/** Saves the whole screen as docs/screenshots/console-<name>.png (or under dist/e2e). */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.evaluate('window.scrollTo(0, 0)');
  await page.screenshot({
    path: join(SCREENSHOTS, `console-${name}.png`),
    animations: 'disabled',
    caret: 'hide',
    fullPage: true,
  });
}

/** axe-core's serious and critical violations on the settled screen (none expected). */
export async function seriousViolations(page: Page): Promise<AxeViolation[]> {
  // Judge the settled screen: no popup halfway through antd's closing motion, no component mid-transition.
  // The style goes again afterwards, since antd's motions wait for their transitions to end.
  await page
    .locator('[class*="-leave-active"], [class*="-appear-active"], [class*="-enter-active"]')
    .first()
    .waitFor({ state: 'detached', timeout: 5000 })
    .catch(() => undefined);
  const still = await page.addStyleTag({
    content: '*, *::before, *::after { transition: none !important; animation: none !important; }',
  });
  try {
    return await axe(page);
  } finally {
    await still.evaluate('(style) => style.remove()');
  }
}
