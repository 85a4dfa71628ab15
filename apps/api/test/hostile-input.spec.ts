import { writeFileSync } from 'node:fs';
import fc from 'fast-check';
import { ErrorCode } from '@quan/domain';
import { INPUT_LIMITS } from '@quan/platform';
import { Api, startApi } from './support/api';
import { draftCampaign, newCampaign } from './support/campaigns';
import { FuzzWorld, HOSTILE_JSON, HostileRequest, OpenApi, requestsFor, send, targetsOf, Who } from './support/fuzz';
import { approvedMerchant, merchantFields } from './support/merchants';
import { payoutBatchOf, statementAt } from './support/settlement';

const DEV_OTP = '135790';
// A fixed seed, so that a failure is reproduced by running again; FUZZ_SEED and FUZZ_RUNS widen the search.
const SEED = Number(process.env.FUZZ_SEED ?? 20_251_207);
const RUNS = Number(process.env.FUZZ_RUNS ?? 50);
const DEEP_BODY = HOSTILE_JSON[0];

let api: Api;
let openapi: OpenApi;
let world: FuzzWorld;

async function signedIn(): Promise<Record<Who, string | undefined>> {
  const admin = await api.login('admin');
  const merchant = await approvedMerchant(api, admin);
  const merchantAdmin = await api.login(merchant.adminUsername, merchant.adminPassword);
  await api.call('POST', `/merchants/${merchant.id}/cashiers`, {
    token: merchantAdmin,
    body: { username: 'fuzz-cashier', displayName: '收银员', password: 'cashier-password' },
  });
  const login = await api.call('POST', '/auth/login', { body: { phone: '13712345678', code: DEV_OTP } });
  const verified = await api.call('POST', '/me/identity', {
    token: login.body.accessToken as string,
    body: { name: '测试', idNumber: '11010519491231002X' },
  });
  return {
    anonymous: undefined,
    resident: verified.body.accessToken as string,
    city_admin: admin,
    county_admin: await api.login('hanbin-admin'),
    finance: await api.login('finance'),
    auditor: await api.login('auditor'),
    merchant_admin: merchantAdmin,
    cashier: await api.login('fuzz-cashier', 'cashier-password'),
  };
}

/** An id of each kind of thing the api names in a path, by the segment before it: a draft campaign (editable), a merchant with a cashier, statements. */
async function existingIds(tokens: Record<Who, string | undefined>): Promise<Record<string, string>> {
  const admin = tokens.city_admin!;
  const draft = await draftCampaign(api, admin, { scopeCountyCode: 'hanbin' });
  const [merchant] = (await api.db.query(
    `SELECT merchant_id AS id FROM staff_accounts WHERE username = 'fuzz-cashier'`,
  )) as { id: string }[];
  const [cashier, finance] = (await api.db.query(
    `SELECT id FROM staff_accounts WHERE username IN ('fuzz-cashier', 'finance') ORDER BY username DESC`,
  )) as { id: string }[];
  const payout = await payoutBatchOf(api.db, merchant.id, finance.id);
  const [run] = (await api.db.query(
    `INSERT INTO settlement_runs (kind, subject, requested_by_id) VALUES ('reconciliation', 'fuzz', $1) RETURNING id`,
    [finance.id],
  )) as { id: string }[];
  return {
    campaigns: draft.id,
    'voucher-types': draft.voucherTypeId,
    rounds: draft.roundId,
    offers: draft.offerId,
    merchants: merchant.id,
    cashiers: cashier.id,
    'staff-accounts': finance.id,
    statements: await statementAt(api.db, merchant.id, 'open'),
    'payout-batches': payout.batchId,
    transfers: payout.transferId,
    runs: run.id,
    counties: 'hanbin',
    categories: 'catering',
  };
}

/** A failing request, short enough to read: a 10,000-level body is cut, the seed reproduces it whole. */
const describeRequest = ({ who, method, url, payload }: HostileRequest): string =>
  `${method} ${url.slice(0, 160)} as ${who}, body ${String(payload).slice(0, 160)}`;

const problemOf = (reply: { status: number; body: Record<string, unknown> }) => [reply.status, reply.body.code];

beforeAll(async () => {
  api = await startApi({ AUTH_DEV_OTP: DEV_OTP });
  openapi = (await api.app.inject({ url: '/docs/openapi.json' })).json() as OpenApi;
  const tokens = await signedIn();
  world = { tokens, ids: await existingIds(tokens) };
}, 120_000);

afterAll(async () => {
  await api?.close();
});

describe('hostile input: the limits every request keeps', () => {
  it('answers a body nested 10,000 levels deep with 400 VALIDATION_FAILED at every operation that takes a body, before any sign-in check', async () => {
    const answers = new Set<string>();
    for (const { method, path } of targetsOf(openapi).filter((target) => target.method !== 'GET')) {
      const url = path.replace(/\{[^}]+\}/g, world.ids.campaigns);
      const reply = await api.app.inject({
        method: method as 'POST',
        url,
        headers: { 'content-type': 'application/json' },
        payload: DEEP_BODY,
      });
      answers.add(`${reply.statusCode} ${(reply.json() as { code: string }).code}`);
    }
    expect([...answers]).toEqual(['400 VALIDATION_FAILED']);
  });

  it('names the field nested too deep, and takes a body as deep as the limit', async () => {
    const nest = (levels: number) => `${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}`;
    const tooDeep = await api.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      headers: { 'content-type': 'application/json' },
      payload: nest(INPUT_LIMITS.depth + 1),
    });
    expect(tooDeep.json().errors[0].messages).toEqual([
      `${'a.'.repeat(INPUT_LIMITS.depth - 1)}a is nested more than ${INPUT_LIMITS.depth} levels deep`,
    ]);
    // As deep as allowed: the limit lets it through to the DTO, which refuses the unknown property.
    const deepest = await api.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      headers: { 'content-type': 'application/json' },
      payload: nest(INPUT_LIMITS.depth),
    });
    expect(
      deepest
        .json()
        .errors.map((e: { field: string }) => e.field)
        .sort(),
    ).toEqual(['a', 'code', 'phone']);
  });

  it('answers a body beyond 64 KiB with 413 PAYLOAD_TOO_LARGE', async () => {
    const reply = await api.call('POST', '/auth/login', {
      body: { phone: 'x'.repeat(INPUT_LIMITS.bodyBytes), code: DEV_OTP },
    });
    expect(problemOf(reply)).toEqual([413, ErrorCode.PayloadTooLarge]);
  });

  it('refuses a string longer than the default limit and an array longer than the default limit, naming the field', async () => {
    const token = world.tokens.city_admin;
    const longName = await api.call('POST', '/campaigns', {
      token,
      body: newCampaign({ eligibility: { categoryCodes: ['x'.repeat(INPUT_LIMITS.stringLength + 1)] } }),
    });
    expect([...problemOf(longName), longName.body.errors]).toEqual([
      400,
      ErrorCode.ValidationFailed,
      [
        {
          field: 'eligibility.categoryCodes.0',
          messages: [`eligibility.categoryCodes.0 must be at most ${INPUT_LIMITS.stringLength} characters`],
        },
      ],
    ]);
    const longList = await api.call('POST', '/campaigns', {
      token,
      body: newCampaign({ eligibility: { countyCodes: new Array(INPUT_LIMITS.arrayItems + 1).fill(0) } }),
    });
    expect([...problemOf(longList), longList.body.errors]).toEqual([
      400,
      ErrorCode.ValidationFailed,
      [
        {
          field: 'eligibility.countyCodes',
          messages: [`eligibility.countyCodes must have at most ${INPUT_LIMITS.arrayItems} items`],
        },
      ],
    ]);
  });

  it.each([
    ['a query parameter', 'GET', '/campaigns?scopeCountyCode=city%00', 'scopeCountyCode'],
    ['a query parameter of staff accounts', 'GET', '/staff-accounts?countyCode=han%00bin', 'countyCode'],
    ['a path parameter', 'GET', '/counties/han%00bin', 'code'],
  ] as const)(
    'refuses NUL and other invalid text in %s with 400 VALIDATION_FAILED, before Postgres',
    async (_name, method, url, field) => {
      const reply = await api.call(method, url, { token: world.tokens.city_admin });
      expect([...problemOf(reply), (reply.body.errors as { field: string }[]).map((e) => e.field)]).toEqual([
        400,
        ErrorCode.ValidationFailed,
        [field],
      ]);
    },
  );

  it('answers a path that is not UTF-8 (an unpaired surrogate) with 400 VALIDATION_FAILED as problem+json', async () => {
    const reply = await api.call('GET', '/categories/%ED%A0%80');
    expect([...problemOf(reply), reply.headers['content-type']]).toEqual([
      400,
      ErrorCode.ValidationFailed,
      'application/problem+json; charset=utf-8',
    ]);
  });

  it('answers a path parameter too long to route with 414 as problem+json', async () => {
    const reply = await api.call('GET', `/counties/${'x'.repeat(3000)}`);
    expect([...problemOf(reply), reply.body.title, reply.headers['content-type']]).toEqual([
      414,
      ErrorCode.ValidationFailed,
      'URI Too Long',
      'application/problem+json; charset=utf-8',
    ]);
  });

  it('refuses NUL and unpaired surrogates in string fields and property names of a body', async () => {
    const payload = '{"name":"汉\\u0000滨","code":"zone-\\ud800","kind":"functional_zone","x\\u0000":1}';
    const reply = await api.app.inject({
      method: 'POST',
      url: '/api/v1/counties',
      payload,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${world.tokens.city_admin}` },
    });
    expect([
      reply.statusCode,
      reply.json().code,
      reply
        .json()
        .errors.map((e: { field: string }) => e.field)
        .sort(),
    ]).toEqual([400, ErrorCode.ValidationFailed, ['body', 'code', 'name']]);
  });

  it.each([
    ['no body', undefined],
    ['a null body', 'null'],
    ['an empty object', '{}'],
    ['an array', '[]'],
    ['a string', '"merchant"'],
  ])('answers a merchant application with %s by 400 VALIDATION_FAILED', async (_name, payload) => {
    const headers: Record<string, string> = payload === undefined ? {} : { 'content-type': 'application/json' };
    const reply = await api.app.inject({ method: 'POST', url: '/api/v1/merchants/applications', headers, payload });
    expect([reply.statusCode, reply.json().code]).toEqual([400, ErrorCode.ValidationFailed]);
  });

  it('answers a merchant application whose merchant or admin is missing, null or not an object by 400 naming it', async () => {
    const admin = { username: 'fuzz-applicant', displayName: '店长', password: 'applicant-password' };
    const cases: [Record<string, unknown>, string][] = [
      [{ admin }, 'merchant'],
      [{ admin, merchant: null }, 'merchant'],
      [{ merchant: merchantFields(), admin: 'x' }, 'admin'],
    ];
    for (const [body, field] of cases) {
      const reply = await api.call('POST', '/merchants/applications', { body });
      expect([...problemOf(reply), (reply.body.errors as { field: string }[]).map((e) => e.field)]).toEqual([
        400,
        ErrorCode.ValidationFailed,
        [field],
      ]);
    }
  });

  it('answers a campaign without limits, and changes setting a member that cannot be null to null, by 400 naming it', async () => {
    const token = world.tokens.city_admin;
    const { limits: _limits, ...withoutLimits } = newCampaign();
    const draft = await draftCampaign(api, token!);
    const [finance] = (await api.db.query(`SELECT id FROM staff_accounts WHERE username = 'finance'`)) as {
      id: string;
    }[];
    const replies = [
      await api.call('POST', '/campaigns', { token, body: withoutLimits }),
      await api.call('POST', '/campaigns', { token, body: { ...withoutLimits, limits: null } }),
      await api.call('PATCH', `/campaigns/${draft.id}`, { token, body: { limits: null } }),
      await api.call('PATCH', `/campaigns/${draft.id}`, { token, body: { eligibility: null } }),
      await api.call('PATCH', '/counties/hanbin', { token, body: { name: null } }),
      await api.call('PATCH', '/counties/hanbin', { token, body: { sortOrder: null } }),
      await api.call('PATCH', `/staff-accounts/${finance.id}`, {
        token,
        body: { displayName: null, disabled: null, password: null },
      }),
    ];
    expect(
      replies.map((reply) => [...problemOf(reply), (reply.body.errors as { field: string }[]).map((e) => e.field)]),
    ).toEqual([
      [400, ErrorCode.ValidationFailed, ['limits']],
      [400, ErrorCode.ValidationFailed, ['limits']],
      [400, ErrorCode.ValidationFailed, ['limits']],
      [400, ErrorCode.ValidationFailed, ['eligibility']],
      [400, ErrorCode.ValidationFailed, ['name']],
      [400, ErrorCode.ValidationFailed, ['sortOrder']],
      [400, ErrorCode.ValidationFailed, ['displayName', 'disabled', 'password']],
    ]);
  });
});

describe('hostile input: property-based fuzz of every operation', () => {
  it(`answers hostile bodies, query strings, path parameters and headers, as every caller, with no 5xx and a problem code on each 4xx (seed ${SEED}, ${RUNS} runs an operation)`, async () => {
    const failures: string[] = [];
    // Answers by operation and status, for `npm run fuzz:api`'s table (FUZZ_REPORT names the file).
    const tally: Record<string, Record<string, number>> = {};
    for (const target of targetsOf(openapi)) {
      const statuses = (tally[`${target.method} ${target.path}`] = {} as Record<string, number>);
      const run = await fc.check(
        fc.asyncProperty(requestsFor(target, openapi, world), async (request) => {
          const { status, fault } = await send(api, request);
          statuses[status] = (statuses[status] ?? 0) + 1;
          if (fault) throw new Error(fault);
        }),
        { seed: SEED, numRuns: RUNS, endOnFailure: true },
      );
      if (run.failed)
        failures.push(
          `${run.counterexample ? describeRequest(run.counterexample[0]) : `${target.method} ${target.path}`}: ${String(run.errorInstance)}`,
        );
    }
    if (process.env.FUZZ_REPORT)
      writeFileSync(process.env.FUZZ_REPORT, JSON.stringify({ seed: SEED, runs: RUNS, failures, tally }));
    expect({ seed: SEED, failures }).toEqual({ seed: SEED, failures: [] });
    expect((await api.app.inject({ url: '/health/ready' })).statusCode).toBe(200);
  }, 300_000);
});
