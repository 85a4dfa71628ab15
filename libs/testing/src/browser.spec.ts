import { axe, launchChromium, SHARED_CHROMIUM_VARIABLE, useBrowserSuite } from './browser';

describe('browser test harness (real Chromium, real api)', () => {
  const suite = useBrowserSuite(__filename, { config: { AUTH_DEV_OTP: '246810' } });

  suite.test('opens pages as a Chinese phone with touch, in Asia/Shanghai', async ({ page }) => {
    await page.goto('/health/live');
    await page.setContent('<meta name="viewport" content="width=device-width, initial-scale=1">');
    const profile = await page.evaluate(
      '({ width: innerWidth, height: innerHeight, touch: navigator.maxTouchPoints > 0, language: navigator.language, zone: Intl.DateTimeFormat().resolvedOptions().timeZone })',
    );
    expect(profile).toEqual({ width: 390, height: 844, touch: true, language: 'zh-CN', zone: 'Asia/Shanghai' });
    expect(suite.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('runs the api with the settings the spec file chose, as suite.env.config says', async () => {
    expect(suite.env.config.AUTH_DEV_OTP).toBe('246810');
    const sent = await fetch(`${suite.baseUrl}/api/v1/auth/otp`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ phone: '13800000001' }),
    });
    expect(await sent.json()).toMatchObject({ devCode: '246810' });
  });

  suite.test('reports serious and critical axe violations, and none on an accessible page', async ({ page }) => {
    await page.setContent(
      '<html lang="zh-CN"><head><title>t</title></head><body><main><button></button><img src="x.png"></main></body></html>',
    );
    expect((await axe(page)).map((v) => v.id).sort()).toEqual(['button-name', 'image-alt']);
    await page.setContent(
      '<html lang="zh-CN"><head><title>t</title></head><body><main><h1>领券</h1><button>登录</button></main></body></html>',
    );
    expect(await axe(page)).toEqual([]);
  });

  it("uses the run's shared Chromium when npm test started one, never a second of its own", async () => {
    const shared = process.env[SHARED_CHROMIUM_VARIABLE];
    process.env[SHARED_CHROMIUM_VARIABLE] = 'ws://127.0.0.1:9/no-browser-here';
    try {
      await expect(launchChromium()).rejects.toThrow();
    } finally {
      if (shared === undefined) delete process.env[SHARED_CHROMIUM_VARIABLE];
      else process.env[SHARED_CHROMIUM_VARIABLE] = shared;
    }
  });
});
