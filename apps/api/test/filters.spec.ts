import { Merchant } from '@quan/data';
import { Api, startApi } from './support/api';
import { draftCampaign } from './support/campaigns';
import { approvedMerchant } from './support/merchants';
import { statementAt } from './support/settlement';

/**
 * One naming scheme on every staff list: a filter is named after the field of the items it matches
 * (a text filter matches a part of it; `from`/`to` bound the list's time), paging is `limit` and `offset`,
 * and a query parameter the endpoint does not know is refused by name, never ignored.
 */
type Item = Record<string, unknown>;
type Schema = { $ref?: string; items?: Schema; properties?: Record<string, Schema> };
interface Operation {
  parameters?: { name: string; in: string }[];
  responses: Record<string, { content?: Record<string, { schema: Schema }> }>;
}

const LISTS: Record<
  string,
  { who: string; text?: string[]; range?: string[]; asFilter?: Record<string, (item: Item) => string> }
> = {
  '/campaigns': {
    who: 'admin',
    asFilter: { scopeCountyCode: (item) => (item.scopeCountyCode === null ? 'city' : String(item.scopeCountyCode)) },
  },
  '/merchants': { who: 'admin', text: ['name'] },
  '/staff-accounts': { who: 'admin' },
  '/settlement/statements': { who: 'finance' },
  '/audit-log': { who: 'auditor', range: ['from', 'to'] },
};
const PAGING = ['limit', 'offset'];

describe('list filters: named after the fields they match, paged by limit and offset, unknown ones refused', () => {
  let api: Api;
  let openapi: { paths: Record<string, Record<string, Operation>>; components: { schemas: Record<string, Schema> } };
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    api = await startApi();
    openapi = (await api.app.inject({ url: '/docs/openapi.json' })).json() as typeof openapi;
    for (const who of ['admin', 'finance', 'auditor']) tokens[who] = await api.login(who);
    await draftCampaign(api, tokens.admin, { scopeCountyCode: 'hanbin' });
    const merchants = await api.db.getRepository(Merchant).find({ take: 2, order: { licenceNo: 'ASC' } });
    for (const merchant of merchants) await statementAt(api.db, merchant.id, 'open');
  });

  afterAll(() => api?.close());

  const operation = (path: string) => openapi.paths[`/api/v1${path}`].get;
  const itemFields = (path: string): string[] => {
    const page = operation(path).responses['200'].content!['application/json'].schema;
    const pageSchema = openapi.components.schemas[page.$ref!.split('/').pop()!];
    const item = openapi.components.schemas[pageSchema.properties!.items.items!.$ref!.split('/').pop()!];
    return Object.keys(item.properties!);
  };
  const filtersOf = (path: string) =>
    (operation(path).parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name);
  const list = async (path: string, query = '') =>
    api.call('GET', `${path}?limit=200${query}`, { token: tokens[LISTS[path].who] });

  it.each(Object.keys(LISTS))(
    '%s names each filter after a field of its items and pages by limit and offset',
    (path) => {
      const { text = [], range = [] } = LISTS[path];
      const filters = filtersOf(path);
      expect(filters).toEqual(expect.arrayContaining(PAGING));
      const fields = itemFields(path);
      expect(
        filters.filter((name) => !PAGING.includes(name) && !range.includes(name) && !fields.includes(name)),
      ).toEqual([]);
      for (const name of text) expect(fields).toContain(name);
    },
  );

  it.each(Object.keys(LISTS))('%s answers only items whose field matches each filter', async (path) => {
    const { text = [], range = [], asFilter = {} } = LISTS[path];
    const all = (await list(path)).body.items as Item[];
    expect(all.length).toBeGreaterThan(0);
    for (const name of filtersOf(path).filter((n) => !PAGING.includes(n) && !range.includes(n))) {
      const sample = all.find((item) => item[name] !== null && item[name] !== undefined) ?? all[0];
      const value = asFilter[name]?.(sample) ?? String(sample[name]);
      const asked = text.includes(name) ? value.slice(1, 3) : value;
      const reply = await list(path, `&${name}=${encodeURIComponent(asked)}`);
      const items = reply.body.items as Item[];
      expect([name, reply.status, items.length > 0]).toEqual([name, 200, true]);
      const mismatched = items.filter((item) =>
        text.includes(name)
          ? !String(item[name]).includes(asked)
          : (asFilter[name]?.(item) ?? String(item[name])) !== value,
      );
      expect([name, mismatched]).toEqual([name, []]);
    }
  });

  it.each([
    ['/campaigns', 'scope'],
    ['/merchants', 'county'],
    ['/merchants', 'q'],
    ['/staff-accounts', 'page'],
    ['/settlement/statements', 'day'],
    ['/audit-log', 'before'],
  ])('%s refuses the unknown parameter %s with 400 naming it', async (path, name) => {
    const reply = await list(path, `&${name}=hanbin`);
    expect([reply.status, reply.body.code, (reply.body.errors as { field: string }[]).map((e) => e.field)]).toEqual([
      400,
      'VALIDATION_FAILED',
      [name],
    ]);
  });

  it("filters within the caller's scope: asking for what lies outside it finds nothing, as if it did not exist", async () => {
    const [a, b] = [
      await approvedMerchant(api, tokens.admin, 'hanbin'),
      await approvedMerchant(api, tokens.admin, 'xunyang'),
    ];
    await statementAt(api.db, a.id, 'open');
    const adminOfB = await api.login(b.adminUsername, b.adminPassword);
    const ofA = await api.call('GET', `/settlement/statements?merchantId=${a.id}`, { token: adminOfB });
    expect([ofA.status, ofA.body.items]).toEqual([200, []]);
    const hanbin = await api.call('GET', '/merchants?countyCode=hanbin', { token: await api.login('xunyang-admin') });
    expect([hanbin.status, hanbin.body.items, hanbin.body.total]).toEqual([200, [], 0]);
    const hanbinCampaigns = await api.call('GET', '/campaigns?scopeCountyCode=hanbin', {
      token: await api.login('xunyang-admin'),
    });
    expect([hanbinCampaigns.status, hanbinCampaigns.body.total]).toEqual([200, 0]);
  });

  it('pages every list by limit and offset', async () => {
    for (const path of Object.keys(LISTS)) {
      const all = (await list(path)).body.items as Item[];
      const second = (await api.call('GET', `${path}?limit=1&offset=1`, { token: tokens[LISTS[path].who] })).body
        .items as Item[];
      expect([path, second]).toEqual([path, all.slice(1, 2)]);
    }
  });
});
