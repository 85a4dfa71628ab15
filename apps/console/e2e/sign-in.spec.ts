import { DEMO_PASSWORD } from '@quan/demo';
import { call, consoleSuite, screenshot, seriousViolations, signIn, staffToken } from './support';

/** The console's sign-in and its frame in a desktop Chromium, against the real api serving the built app. */
describe('the bureau console: sign-in and menus by role', () => {
  const suite = consoleSuite(__filename);

  suite.test('a city admin signs in, sees the frame in both languages and signs out', async ({ page }) => {
    await page.goto('/console/');
    await page.waitForURL(/\/console\/login\?next=/);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'login');

    await page.getByLabel('账号').fill('admin');
    await page.getByLabel('密码').fill('not-the-password');
    await page.getByRole('button', { name: /登\s*录/ }).click();
    await page.getByText('用户名或密码不对').waitFor();

    await page.getByLabel('密码').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: /登\s*录/ }).click();
    await page.getByTestId('account-name').waitFor();
    expect(await page.getByTestId('account-role').textContent()).toBe('市级管理员');
    expect(await seriousViolations(page)).toEqual([]);

    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    expect(await page.getByTestId('account-role').textContent()).toBe('City admin');
    expect(await page.evaluate('document.documentElement.lang')).toBe('en');
    await page.getByRole('button', { name: '中文' }).click();

    await page.getByRole('button', { name: '退出登录' }).click();
    await page.waitForURL(/\/console\/login/);
    // Signed out for real: the console's pages send back to the login.
    await page.goto('/console/');
    await page.waitForURL(/\/console\/login/);
  });

  suite.test('an auditor is shown as read-only; merchant staff are sent to the till', async ({ page }) => {
    await signIn(page, 'auditor');
    expect(await page.getByTestId('account-role').textContent()).toBe('审计（只读）');
    await page.getByRole('button', { name: '退出登录' }).click();
    await page.waitForURL(/\/console\/login/);

    const admin = await staffToken(suite, 'admin');
    const [merchantAdmin] = (
      await call<{ items: { username: string }[] }>(suite, 'GET', '/staff-accounts?role=merchant_admin&limit=1', {
        token: admin,
      })
    ).items;
    await page.getByLabel('账号').fill(merchantAdmin.username);
    await page.getByLabel('密码').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: /登\s*录/ }).click();
    await page.waitForURL(/\/till\//);
    expect(await page.evaluate('localStorage.getItem("quan.console.session")')).toBeNull();
  });
});
