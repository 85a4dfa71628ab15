import { createHmac, createSign, generateKeyPairSync } from 'node:crypto';
import { JwtService } from '@nestjs/jwt';
import { VoucherTokens } from '@quan/auth';
import { Api, startApi } from './support/api';

const base64url = (value: object | Buffer) =>
  (Buffer.isBuffer(value) ? value : Buffer.from(JSON.stringify(value))).toString('base64url');

/** A JWT with any header, signed by `sign` over "header.payload" (or unsigned). */
function forge(header: object, payload: object, sign?: (input: string) => Buffer): string {
  const input = `${base64url(header)}.${base64url(payload)}`;
  return `${input}.${sign ? sign(input).toString('base64url') : ''}`;
}

describe('HTTP hardening: headers, CORS, JWT algorithms, refresh token reuse', () => {
  let api: Api;

  beforeAll(async () => {
    api = await startApi({ AUTH_DEV_OTP: '246810' });
  });

  afterAll(() => api?.close());

  describe('security headers', () => {
    const get = (url: string, headers: Record<string, string> = {}) => api.app.inject({ method: 'GET', url, headers });

    const expectSecurityHeaders = (headers: Record<string, unknown>) => {
      expect(headers['x-content-type-options']).toBe('nosniff');
      expect(headers['x-frame-options']).toBe('DENY');
      const csp = String(headers['content-security-policy']);
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("script-src 'self';");
      expect(csp).toContain("default-src 'self'");
      expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
    };

    it('are on an api answer, an error answer, /docs, its assets, /metrics and an unknown path', async () => {
      const login = await api.call('POST', '/auth/staff/login', {
        body: { username: 'auditor', password: 'wrong-password' },
      });
      expect(login.status).toBe(401);
      expectSecurityHeaders(login.headers);
      const health = await get('/health/live');
      expect(health.statusCode).toBe(200);
      expectSecurityHeaders(health.headers);
      for (const url of ['/docs', '/docs/swagger-ui-init.js', '/docs/openapi.json', '/metrics', '/h5/index.html']) {
        const reply = await get(url);
        expect([url, reply.statusCode < 500]).toEqual([url, true]);
        expectSecurityHeaders(reply.headers);
      }
    });

    it('let Swagger UI load: its page uses only scripts from its own origin, and inline styles the CSP allows', async () => {
      const page = await get('/docs');
      expect(page.statusCode).toBe(200);
      expect(page.body).not.toMatch(/<script>(?!\s*<\/script>)/);
      const scripts = [...page.body.matchAll(/<script src="([^"]+)"/g)].map((match) => match[1]);
      expect(scripts.length).toBeGreaterThan(0);
      for (const script of scripts) {
        expect(script).not.toMatch(/^(https?:)?\/\//);
        expect((await get(`/docs/${script.replace(/^\.?\/?(docs\/)?/, '')}`)).statusCode).toBe(200);
      }
      expect(String(page.headers['content-security-policy'])).toContain("style-src 'self' 'unsafe-inline'");
    });

    it('send HSTS only for a request that came over HTTPS through the trusted proxy', async () => {
      expect((await get('/health/live')).headers['strict-transport-security']).toBeUndefined();
      const overTls = await get('/health/live', { 'x-forwarded-proto': 'https' });
      expect(overTls.headers['strict-transport-security']).toBe(
        `max-age=${api.env.config.HSTS_MAX_AGE_S}; includeSubDomains`,
      );
      // From an address that is not a trusted proxy the header is the client's word, and is ignored.
      const untrusted = await api.app.inject({
        method: 'GET',
        url: '/health/live',
        remoteAddress: '203.0.113.5',
        headers: { 'x-forwarded-proto': 'https' },
      });
      expect(untrusted.headers['strict-transport-security']).toBeUndefined();
    });

    it('keep CORS closed: no Access-Control-Allow-Origin for another origin, preflight or not', async () => {
      const origin = 'https://evil.example';
      const simple = await get('/health/live', { origin });
      expect(simple.headers['access-control-allow-origin']).toBeUndefined();
      const preflight = await api.app.inject({
        method: 'OPTIONS',
        url: '/api/v1/auth/staff/login',
        headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
      });
      expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
      expect(preflight.headers['access-control-allow-methods']).toBeUndefined();
    });
  });

  describe('access tokens accept HS256 only', () => {
    const me = (token: string) => api.call('GET', '/auth/staff/me', { token });
    let claims: Record<string, unknown>;
    let valid: string;
    const hmac = (algorithm: string) => (input: string) =>
      createHmac(algorithm, api.env.config.JWT_SECRET).update(input).digest();

    beforeAll(async () => {
      valid = await api.login('auditor');
      claims = new JwtService().decode<Record<string, unknown>>(valid);
    });

    it('accepts the token it issued', async () => {
      expect((await me(valid)).status).toBe(200);
    });

    it('refuses alg none, even with the claims of a valid token already in the cache', async () => {
      expect((await me(valid)).status).toBe(200);
      for (const alg of ['none', 'None', 'NONE']) {
        const unsigned = forge({ alg, typ: 'JWT' }, claims);
        expect((await me(unsigned)).body.code).toBe('UNAUTHENTICATED');
      }
    });

    it('refuses a token signed with the right secret under another HMAC algorithm', async () => {
      expect((await me(forge({ alg: 'HS512', typ: 'JWT' }, claims, hmac('sha512')))).status).toBe(401);
      expect((await me(forge({ alg: 'HS384', typ: 'JWT' }, claims, hmac('sha384')))).status).toBe(401);
    });

    it('refuses HS/RS confusion: RS256 in the header, whether signed by an RSA key or by HMAC with the secret', async () => {
      const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
      const rsaSigned = forge({ alg: 'RS256', typ: 'JWT' }, claims, (input) =>
        createSign('RSA-SHA256').update(input).sign(privateKey),
      );
      expect((await me(rsaSigned)).status).toBe(401);
      // The same bytes a lax verifier would accept if it took the header's word and the HMAC key as the "public key".
      const confused = forge({ alg: 'RS256', typ: 'JWT' }, claims, hmac('sha256'));
      expect((await me(confused)).status).toBe(401);
      // The control: the same header and claims signed HS256 pass, so the refusals above are about the algorithm.
      expect((await me(forge({ alg: 'HS256', typ: 'JWT' }, claims, hmac('sha256')))).status).toBe(200);
    });

    it('refuses a validly signed HS256 token without an expiry', async () => {
      const { exp: _exp, ...forever } = claims;
      expect((await me(forge({ alg: 'HS256', typ: 'JWT' }, forever, hmac('sha256')))).status).toBe(401);
    });
  });

  describe('voucher QR tokens accept HS256 only', () => {
    const key = () => createHmac('sha256', api.env.config.JWT_SECRET).update('quan:voucher-qr').digest();
    const payload = {
      v: '3f1c2a9e-6f43-4c5e-9a71-2b8d5f0e4c11',
      r: '0b7e6d4c-2a19-4f8b-8c3d-5e6f7a8b9c0d',
      aud: 'quan:voucher-qr',
      exp: Math.floor(Date.now() / 1000) + 60,
    };
    const sign = (algorithm: string) => (input: string) => createHmac(algorithm, key()).update(input).digest();

    it('reads a token signed HS256 with its key, and refuses none, HS512 and RS256 in the header', () => {
      const tokens = api.app.get(VoucherTokens);
      expect(tokens.read(forge({ alg: 'HS256', typ: 'JWT' }, payload, sign('sha256')))).toMatchObject({
        voucherId: payload.v,
        residentId: payload.r,
      });
      for (const token of [
        forge({ alg: 'none', typ: 'JWT' }, payload),
        forge({ alg: 'HS512', typ: 'JWT' }, payload, sign('sha512')),
        forge({ alg: 'RS256', typ: 'JWT' }, payload, sign('sha256')),
      ]) {
        expect(() => tokens.read(token)).toThrow(expect.objectContaining({ code: 'TOKEN_INVALID' }));
      }
    });
  });

  describe('refresh token reuse', () => {
    it("ends a resident's whole session when a rotated refresh token is presented again", async () => {
      const login = async () => {
        const reply = await api.call('POST', '/auth/login', { body: { phone: '13900000077', code: '246810' } });
        expect(reply.status).toBe(200);
        return reply.body.refreshToken as string;
      };
      const refresh = (refreshToken: string) => api.call('POST', '/auth/refresh', { body: { refreshToken } });
      const stolen = await login();
      const rotated = await refresh(stolen);
      expect(rotated.status).toBe(200);
      const newest = rotated.body.refreshToken as string;
      const otherPhone = await login();

      expect((await refresh(stolen)).body.code).toBe('UNAUTHENTICATED');
      expect((await refresh(newest)).status).toBe(401);
      expect((await refresh(otherPhone)).status).toBe(200);
    });
  });
});
