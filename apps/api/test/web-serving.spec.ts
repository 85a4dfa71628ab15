import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createTestApp, createTestEnvironment, TestEnvironment } from '@quan/testing';
import { AppModule } from '../src/app.module';

const INDEX =
  '<!doctype html><html lang="zh-CN"><body><div id="root"></div><script type="module" src="/h5/assets/index-C0ffee12.js"></script></body></html>';
const SCRIPT = `console.log(${JSON.stringify('居民'.repeat(200))});`;

/** A built resident app as Vite writes it (with the .gz the build adds); the till and the console are not built. */
function builtFixture(): string {
  const root = mkdtempSync(join(tmpdir(), 'quan-web-'));
  mkdirSync(join(root, 'resident', 'assets'), { recursive: true });
  writeFileSync(join(root, 'resident', 'index.html'), INDEX);
  writeFileSync(join(root, 'resident', 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  writeFileSync(join(root, 'resident', 'assets', 'index-C0ffee12.js'), SCRIPT);
  writeFileSync(join(root, 'resident', 'assets', 'index-C0ffee12.js.gz'), gzipSync(SCRIPT));
  return root;
}

describe('the web apps served by the api from its own origin', () => {
  let env: TestEnvironment;
  let app: NestFastifyApplication;
  let webRoot: string;

  beforeAll(async () => {
    webRoot = builtFixture();
    env = await createTestEnvironment();
    app = await createTestApp(AppModule.register(env.config), env.config, { webRoot });
  });

  afterAll(async () => {
    await app?.close();
    await env?.dispose();
    rmSync(webRoot, { recursive: true, force: true });
  });

  it.each(['/h5/', '/h5/index.html', '/h5/wallet', '/h5/vouchers/0193a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a5b'])(
    'answers %s with index.html, never cached',
    async (url) => {
      const page = await app.inject({ url });
      expect(page.statusCode).toBe(200);
      expect(page.headers['content-type']).toMatch(/^text\/html/);
      expect(page.headers['cache-control']).toBe('no-cache');
      expect(page.body).toBe(INDEX);
    },
  );

  it('redirects /h5 to /h5/', async () => {
    const page = await app.inject({ url: '/h5' });
    expect(page.statusCode).toBe(301);
    expect(page.headers.location).toBe('/h5/');
  });

  it('caches hashed assets for a year and sends them compressed to a browser that accepts it', async () => {
    const plain = await app.inject({ url: '/h5/assets/index-C0ffee12.js' });
    expect(plain.statusCode).toBe(200);
    expect(plain.headers['content-type']).toMatch(/javascript/);
    expect(plain.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(plain.body).toBe(SCRIPT);

    const gzipped = await app.inject({
      url: '/h5/assets/index-C0ffee12.js',
      headers: { 'accept-encoding': 'gzip, deflate' },
    });
    expect(gzipped.headers['content-encoding']).toBe('gzip');
    // A shared cache (CDN, proxy) must keep the encodings apart.
    expect(plain.headers.vary).toMatch(/accept-encoding/i);
    expect(gzipped.headers.vary).toMatch(/accept-encoding/i);
    expect(gzipped.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(gunzipSync(gzipped.rawPayload).toString()).toBe(SCRIPT);
  });

  it('answers 404 for a missing asset instead of the page, and serves other files of the build unhashed and uncached', async () => {
    expect((await app.inject({ url: '/h5/assets/index-Gone0000.js' })).statusCode).toBe(404);
    const icon = await app.inject({ url: '/h5/favicon.svg' });
    expect(icon.statusCode).toBe(200);
    expect(icon.headers['content-type']).toMatch(/^image\/svg\+xml/);
    expect(icon.headers['cache-control']).toBe('no-cache');
  });

  it('never serves a file from outside the build', async () => {
    for (const url of [
      '/h5/../../../../etc/passwd',
      '/h5/assets/../../../../../etc/passwd',
      '/h5/%2e%2e/%2e%2e/%2e%2e/etc/passwd',
    ]) {
      const answer = await app.inject({ url });
      expect(answer.body).not.toContain('root:');
    }
  });

  it('says how to build an app that is not built', async () => {
    const till = await app.inject({ url: '/till/' });
    expect(till.statusCode).toBe(404);
    expect(till.body).toBe(
      'The Cashier till (/till/) is not built. Run `npm run build:web`, or `npm start`, which builds it.\n',
    );
  });

  it('leaves the api, its documentation, health and metrics as they were', async () => {
    expect((await app.inject({ url: '/api/v1/counties' })).statusCode).toBe(200);
    const unknown = await app.inject({ url: '/api/v1/h5/' });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toMatchObject({ code: 'NOT_FOUND' });
    expect((await app.inject({ url: '/docs/openapi.json' })).json()).toMatchObject({ info: { title: 'Quan API' } });
    expect((await app.inject({ url: '/health/live' })).statusCode).toBe(200);
    expect((await app.inject({ url: '/metrics' })).body).toContain('http_request_duration_seconds');
  });
});
