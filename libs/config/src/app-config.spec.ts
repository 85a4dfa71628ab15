import { ConfigError, configWith, loadConfig, parseDataKeys, readDatabaseUrl } from './app-config';

describe('loadConfig', () => {
  it('uses the documented defaults when nothing is set', () => {
    const config = loadConfig({});
    expect(config.PORT).toBe(3000);
    expect(config.REDIS_URL).toBe('redis://127.0.0.1:6379');
    expect(config.DATABASE_URL).toBe('postgres://postgres@127.0.0.1:5432/quan');
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('parses numbers and treats empty strings as unset', () => {
    const config = loadConfig({ PORT: '8080', DATABASE_POOL_SIZE: '', LOG_LEVEL: 'warn' });
    expect(config.PORT).toBe(8080);
    expect(config.DATABASE_POOL_SIZE).toBe(20);
    expect(config.LOG_LEVEL).toBe('warn');
  });

  it.each([
    ['REDIS_URL', 'garbage'],
    ['REDIS_URL', 'http://127.0.0.1:6379'],
    ['DATABASE_URL', 'postgres://127.0.0.1'],
    ['DATABASE_READ_URL', 'replica:5432/quan'],
    ['PORT', 'eighty'],
    ['PORT', '70000'],
    ['LOG_LEVEL', 'loud'],
    ['REDIS_KEY_PREFIX', 'Has Spaces'],
  ])('fails naming %s when it is %p', (variable, value) => {
    expect(() => loadConfig({ [variable]: value })).toThrow(ConfigError);
    try {
      loadConfig({ [variable]: value });
    } catch (error) {
      expect((error as ConfigError).variable).toBe(variable);
      expect((error as Error).message).toMatch(new RegExp(`^Invalid configuration: ${variable} `));
      expect((error as Error).message).not.toContain('\n');
    }
  });

  it('reads from DATABASE_READ_URL when it is set, else from the primary, also in a copy with another primary', () => {
    const replica = 'postgres://reader@replica:5432/quan';
    expect(readDatabaseUrl(loadConfig({ DATABASE_READ_URL: replica }))).toBe(replica);
    const config = loadConfig({});
    expect(readDatabaseUrl(config)).toBe(config.DATABASE_URL);
    const other = 'postgres://postgres@127.0.0.1:5432/other';
    expect(readDatabaseUrl(configWith(config, { DATABASE_URL: other }))).toBe(other);
  });

  it('names the first bad variable in declaration order when several are bad', () => {
    expect(() => loadConfig({ REDIS_URL: 'garbage', PORT: 'x' })).toThrow(/^Invalid configuration: PORT /);
  });

  it('copies with overrides without touching the original', () => {
    const config = loadConfig({});
    const copy = configWith(config, { PORT: 4000 });
    expect(copy.PORT).toBe(4000);
    expect(config.PORT).toBe(3000);
  });
});

describe('JWT_SECRET', () => {
  it('has a development default but must be set in production', () => {
    expect(loadConfig({}).JWT_SECRET.length).toBeGreaterThanOrEqual(32);
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(
      /^Invalid configuration: JWT_SECRET must be set in production$/,
    );
    // Accepted: the first refusal is now a later variable's.
    expect(() =>
      loadConfig({ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(40), PII_HASH_KEY: 'y'.repeat(40) }),
    ).toThrow(/^Invalid configuration: DATA_KEYS /);
  });

  it('rejects short secrets', () => {
    expect(() => loadConfig({ JWT_SECRET: 'short' })).toThrow(/^Invalid configuration: JWT_SECRET /);
  });
});

describe('resident authentication settings', () => {
  it('reads AUTH_DEV_OTP outside production and refuses it in production', () => {
    expect(loadConfig({ AUTH_DEV_OTP: '123456' }).AUTH_DEV_OTP).toBe('123456');
    expect(loadConfig({}).AUTH_DEV_OTP).toBeUndefined();
    expect(() => loadConfig({ AUTH_DEV_OTP: '12345' })).toThrow(/^Invalid configuration: AUTH_DEV_OTP /);
    const production = { NODE_ENV: 'production', JWT_SECRET: 'j'.repeat(40), PII_HASH_KEY: 'p'.repeat(40) };
    expect(() => loadConfig({ ...production, AUTH_DEV_OTP: '123456' })).toThrow(
      /^Invalid configuration: AUTH_DEV_OTP must not be set in production$/,
    );
    expect(() => loadConfig({ ...production, PII_HASH_KEY: undefined })).toThrow(
      /^Invalid configuration: PII_HASH_KEY must be set in production$/,
    );
  });
});

describe('data keys', () => {
  const key = (byte: number) => Buffer.alloc(32, byte).toString('base64');

  it('has a development key that production refuses', () => {
    expect(parseDataKeys(loadConfig({}).DATA_KEYS).get(loadConfig({}).DATA_KEY_CURRENT)).toHaveLength(32);
    const production = { NODE_ENV: 'production', JWT_SECRET: 'j'.repeat(40), PII_HASH_KEY: 'p'.repeat(40) };
    expect(() => loadConfig(production)).toThrow(
      /^Invalid configuration: DATA_KEYS must not contain the development key in production$/,
    );
  });

  it('reads several keys and refuses a current id that is not among them, a short key or an id given twice', () => {
    const config = loadConfig({ DATA_KEYS: `k1:${key(1)},k2:${key(2)}`, DATA_KEY_CURRENT: 'k2' });
    expect([...parseDataKeys(config.DATA_KEYS).keys()]).toEqual(['k1', 'k2']);
    expect(() => loadConfig({ DATA_KEYS: `k1:${key(1)}`, DATA_KEY_CURRENT: 'k2' })).toThrow(
      /^Invalid configuration: DATA_KEY_CURRENT /,
    );
    expect(() =>
      loadConfig({ DATA_KEYS: `k1:${Buffer.alloc(16).toString('base64')}`, DATA_KEY_CURRENT: 'k1' }),
    ).toThrow(/^Invalid configuration: DATA_KEYS /);
    expect(() => loadConfig({ DATA_KEYS: `k1:${key(1)},k1:${key(2)}`, DATA_KEY_CURRENT: 'k1' })).toThrow(
      /^Invalid configuration: DATA_KEYS names a key id twice$/,
    );
  });
});

describe('identity verification settings', () => {
  it('uses the checksum verifier outside production and requires a provider in production', () => {
    expect(loadConfig({}).IDENTITY_VERIFIER).toBe('checksum');
    const production = {
      NODE_ENV: 'production',
      JWT_SECRET: 'j'.repeat(40),
      PII_HASH_KEY: 'p'.repeat(40),
      DATA_KEYS: `k1:${Buffer.alloc(32, 7).toString('base64')}`,
      DATA_KEY_CURRENT: 'k1',
    };
    expect(() => loadConfig(production)).toThrow(
      /^Invalid configuration: IDENTITY_VERIFIER must name a real-name verification provider in production/,
    );
    expect(() => loadConfig({ IDENTITY_VERIFIER: 'nobody' })).toThrow(/^Invalid configuration: IDENTITY_VERIFIER /);
  });

  it('caps the phones per identity at 2 unless configured', () => {
    expect(loadConfig({}).IDENTITY_MAX_PHONES).toBe(2);
    expect(loadConfig({ IDENTITY_MAX_PHONES: '3' }).IDENTITY_MAX_PHONES).toBe(3);
    expect(() => loadConfig({ IDENTITY_MAX_PHONES: '0' })).toThrow(/^Invalid configuration: IDENTITY_MAX_PHONES /);
  });
});

describe('staff login throttling and proxies', () => {
  it('trusts the loopback proxy by default and takes hop counts, address lists or none', () => {
    expect(loadConfig({}).TRUST_PROXY).toBe('loopback');
    for (const value of ['1', 'none', '10.0.0.0/8, 127.0.0.1', 'loopback,uniquelocal', '::1'])
      expect(loadConfig({ TRUST_PROXY: value }).TRUST_PROXY).toBe(value);
    expect(() => loadConfig({ TRUST_PROXY: '10.0.0.0/8; rm' })).toThrow(/^Invalid configuration: TRUST_PROXY /);
  });

  it('refuses a longest wait the failure count would not outlive', () => {
    expect(loadConfig({ LOGIN_DELAY_MAX_S: '3600', LOGIN_FAILURE_WINDOW_S: '3600' }).LOGIN_DELAY_MAX_S).toBe(3600);
    expect(() => loadConfig({ LOGIN_DELAY_MAX_S: '7200' })).toThrow(
      /^Invalid configuration: LOGIN_DELAY_MAX_S must not exceed LOGIN_FAILURE_WINDOW_S/,
    );
  });
});
