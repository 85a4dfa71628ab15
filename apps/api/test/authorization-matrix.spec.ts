import { randomUUID } from 'node:crypto';
import { AuditLog, Campaign, CampaignStatus, StaffAccount } from '@quan/data';
import { DEMO_PASSWORD, PROVINCIAL_CAMPAIGN_CODE } from '@quan/demo';
import { ErrorCode, generateShortCode, idNumberCheckCharacter } from '@quan/domain';
import { HTTP_STATUS_BY_CODE } from '@quan/platform';
import { Api, startApi } from './support/api';
import {
  day,
  DraftIds,
  draftCampaign,
  firstComeRound,
  newCampaign,
  pendingCampaign,
  publishedCampaign,
  thresholdVoucher,
} from './support/campaigns';
import { AppliedMerchant, applyMerchant, approvedMerchant, merchantFields } from './support/merchants';
import { payoutBatchOf, statementAt, StatementStage } from './support/settlement';

/**
 * Every endpoint of the OpenAPI document × every kind of caller, with the exact status class each must
 * get. The objects acted on belong to 汉滨区 (hanbin) and, for merchant staff, to merchant A; the
 * "_other" callers are a county admin of 旬阳市 and the staff of merchant B, who must not see them. The
 * community agent serves 汉滨区.
 * A successful write must leave an audit entry of the expected action with the request's id, a refused
 * one none; every error code answered must be documented in OpenAPI for that endpoint and status.
 * The resident is a verified resident of the demo city.
 */
const WHO = [
  'anonymous',
  'city_admin',
  'county_admin',
  'county_admin_other',
  'finance',
  'auditor',
  'merchant_admin',
  'merchant_admin_other',
  'cashier',
  'cashier_other',
  'community_agent',
  'resident',
] as const;
const DEV_OTP = '135790';
type Who = (typeof WHO)[number];
type Outcome = '2xx' | 401 | 403 | 404;
type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

interface Setup {
  params?: Record<string, string>;
  /** A query string, for a read whose filters are required. */
  query?: string;
  body?: unknown;
  /** Another token for this caller (e.g. the admin of a merchant made for this call). */
  token?: string;
  headers?: Record<string, string>;
}

interface Row {
  method: Method;
  path: string;
  expect: Record<Who, Outcome>;
  /** The audit action a successful call records (every write except sign-in). */
  audit?: string;
  /** Makes what the call acts on; `fresh` when the caller is expected to succeed (and so change it). */
  setup?: (fresh: boolean, who: Who) => Promise<Setup>;
}

const DENY = Object.fromEntries(WHO.map((who) => [who, who === 'anonymous' ? 401 : 403])) as Record<Who, Outcome>;
const grant = (grants: Partial<Record<Who, Outcome>>): Record<Who, Outcome> => ({ ...DENY, ...grants });
const PUBLIC = Object.fromEntries(WHO.map((who) => [who, '2xx'])) as Record<Who, Outcome>;
const ALL_STAFF = grant(
  Object.fromEntries(WHO.filter((w) => w !== 'anonymous' && w !== 'resident').map((w) => [w, '2xx'])),
);
const RESIDENT = grant({ resident: '2xx' });
const CITY_ADMIN = grant({ city_admin: '2xx' });
const CITY_AND_AUDITOR = grant({ city_admin: '2xx', auditor: '2xx' });
const BUREAU = grant({
  city_admin: '2xx',
  county_admin: '2xx',
  county_admin_other: '2xx',
  finance: '2xx',
  auditor: '2xx',
});
const BUREAU_ON_HANBIN = grant({
  city_admin: '2xx',
  county_admin: '2xx',
  county_admin_other: 404,
  finance: '2xx',
  auditor: '2xx',
});
const OPERATORS_ON_HANBIN = grant({ city_admin: '2xx', county_admin: '2xx', county_admin_other: 404 });
const ADMIN_OF_MERCHANT_A = grant({ merchant_admin: '2xx', merchant_admin_other: 404 });
const MERCHANT_STAFF = grant({
  merchant_admin: '2xx',
  merchant_admin_other: '2xx',
  cashier: '2xx',
  cashier_other: '2xx',
});
const STAFF_OF_MERCHANT_A = grant({
  merchant_admin: '2xx',
  merchant_admin_other: 404,
  cashier: '2xx',
  cashier_other: 404,
});
const FINANCE = grant({ finance: '2xx' });
const FINANCE_AND_AUDITOR = grant({ finance: '2xx', auditor: '2xx' });

/** The role each caller has, to compare with the roles OpenAPI documents (x-quan-roles). */
const ROLE_OF: Record<Exclude<Who, 'anonymous'>, string> = {
  city_admin: 'city_admin',
  county_admin: 'county_admin',
  county_admin_other: 'county_admin',
  finance: 'finance',
  auditor: 'auditor',
  merchant_admin: 'merchant_admin',
  merchant_admin_other: 'merchant_admin',
  cashier: 'cashier',
  cashier_other: 'cashier',
  community_agent: 'community_agent',
  resident: 'resident',
};

interface Fixtures {
  tokens: Record<Who, string | undefined>;
  /** A medium-severity risk flag of merchant A (so it holds none of its statements). */
  riskFlag: string;
  admin: string;
  maker: string;
  merchantA: AppliedMerchant;
  cashierOfA: string;
  cashierOfB: string;
  financeId: string;
  draft: DraftIds;
  pending: DraftIds;
  published: DraftIds;
  ended: DraftIds;
  pendingMerchant: AppliedMerchant;
  approvedMerchant: AppliedMerchant;
  suspendedMerchant: AppliedMerchant;
  demoRound: { roundId: string; offerId: string };
  lotteryRoundId: string;
  residentId: string;
  voucher: { id: string; shortCode: string };
  assistedResident: string;
  redemptionOfA: string;
  statement: string;
  payout: { batchId: string; transferId: string };
  run: string;
}

const RESIDENT_ID_NUMBER = '11010519491231002X';
let assisted = 0;
/** Days after 2024-01-01 asked to be settled, one per call: long past whatever the run's serial reaches. */
let settleDays = 0;
/**
 * A valid 居民身份证号码 of 汉滨区 per call, for the residents the matrix's community agent registers (a counter of
 * its own: `next()` also dates the settlement runs' business days).
 */
function assistedIdNumber(): string {
  assisted += 1;
  const digits17 = `61090219400101${String(assisted).padStart(3, '0')}`;
  return `${digits17}${idNumberCheckCharacter(digits17)}`;
}
const CONSENT = { consentGivenBy: 'resident', consentMethod: 'signed_form', consentAt: '2026-12-01T10:00:00+08:00' };

let api: Api;
let fx: Fixtures;
let serial = 0;
const next = () => (serial += 1);

// Campaigns of 汉滨区, made by a second hanbin operator so that neither the city admin nor hanbin-admin is their maker.
const draft = () => draftCampaign(api, fx.maker, { scopeCountyCode: 'hanbin' });
const pending = () => pendingCampaign(api, fx.maker, { scopeCountyCode: 'hanbin' });
const published = () => publishedCampaign(api, fx.maker, fx.admin, { scopeCountyCode: 'hanbin' });
async function ended(): Promise<DraftIds> {
  const ids = await published();
  await api.db.getRepository(Campaign).update(ids.id, { status: CampaignStatus.Ended });
  return ids;
}
async function suspendedMerchant(): Promise<AppliedMerchant> {
  const merchant = await approvedMerchant(api, fx.admin);
  await api.call('POST', `/merchants/${merchant.id}/suspend`, { token: fx.admin, body: { reason: '核查' } });
  return merchant;
}
async function verifiedResident(): Promise<string> {
  const { accessToken } = await residentLogin();
  const verified = await api.call('POST', '/me/identity', {
    token: accessToken,
    body: { name: '测试', idNumber: RESIDENT_ID_NUMBER },
  });
  return verified.body.accessToken as string;
}
/** A community agent of 汉滨区, created by the city admin: their access token. */
async function communityAgent(admin: string): Promise<string> {
  await api.call('POST', '/staff-accounts', {
    token: admin,
    body: {
      username: 'matrix-agent',
      displayName: '汉滨区 社区工作人员',
      password: 'agent-password',
      role: 'community_agent',
      countyCode: 'hanbin',
    },
  });
  return api.login('matrix-agent', 'agent-password');
}
let phones = 0;
/** A resident signed in with the development code on a phone number of its own. */
async function residentLogin(): Promise<{ accessToken: string; refreshToken: string }> {
  phones += 1;
  const reply = await api.call('POST', '/auth/login', {
    body: { phone: `1370000${String(phones).padStart(4, '0')}`, code: DEV_OTP },
  });
  return reply.body as { accessToken: string; refreshToken: string };
}
async function refreshToken(): Promise<string> {
  return (await api.call('POST', '/auth/staff/login', { body: { username: 'finance', password: DEMO_PASSWORD } })).body
    .refreshToken as string;
}

/** A claimed 满30减5 voucher of the demo campaign, held by the matrix resident. */
async function freshVoucher(): Promise<{ id: string; shortCode: string }> {
  const [type] = await api.db.query(
    `SELECT t.id, t.campaign_id, t.valid_from, t.valid_until, o.round_id, o.id AS offer_id, r.identity_id
       FROM voucher_types t JOIN campaigns c ON c.id = t.campaign_id JOIN offer_items i ON i.voucher_type_id = t.id
       JOIN round_offers o ON o.id = i.offer_id JOIN residents r ON r.id = $2
      WHERE c.code = $1 AND t.threshold_fen = 3000 LIMIT 1`,
    [PROVINCIAL_CAMPAIGN_CODE, fx.residentId],
  );
  const [claimId, id, shortCode] = [randomUUID(), randomUUID(), generateShortCode()];
  await api.db.query(
    `INSERT INTO claims (id, campaign_id, round_id, offer_id, resident_id, identity_id, person_seq, claimed_at) VALUES ($1, $2, $3, $4, $5, $6, $7, now())`,
    [claimId, type.campaign_id, type.round_id, type.offer_id, fx.residentId, type.identity_id, 1000 + next()],
  );
  await api.db.query(
    `INSERT INTO vouchers (id, claim_id, campaign_id, voucher_type_id, resident_id, short_code, valid_from, valid_until, claimed_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, now())`,
    [id, claimId, type.campaign_id, type.id, fx.residentId, shortCode, type.valid_from, type.valid_until],
  );
  return { id, shortCode };
}
async function redemptionOfA(): Promise<string> {
  const voucher = await freshVoucher();
  const reply = await api.call('POST', '/merchant/redemptions', {
    token: fx.tokens.cashier,
    body: { code: voucher.shortCode, orderAmountFen: 5000 },
    headers: { 'idempotency-key': `matrix-${randomUUID()}` },
  });
  return reply.body.id as string;
}
const redemption = async (fresh: boolean): Promise<Setup> => {
  const voucher = fresh ? await freshVoucher() : fx.voucher;
  return {
    body: { code: voucher.shortCode, orderAmountFen: 5000 },
    headers: { 'idempotency-key': `matrix-${randomUUID()}` },
  };
};

const campaign =
  (pick: () => Promise<DraftIds>, shared: () => DraftIds, extra: (ids: DraftIds) => Partial<Setup> = () => ({})) =>
  async (fresh: boolean): Promise<Setup> => {
    const ids = fresh ? await pick() : shared();
    const setup = extra(ids);
    return {
      ...setup,
      params: { id: ids.id, typeId: ids.voucherTypeId, roundId: ids.roundId, offerId: ids.offerId, ...setup.params },
    };
  };
/** A statement of merchant A at `stage` (fresh when the caller may act on it), or the shared one. */
const statement =
  (stage: StatementStage) =>
  async (fresh: boolean): Promise<Setup> => ({
    params: { id: fresh ? await statementAt(api.db, fx.merchantA.id, stage) : fx.statement },
  });
/** A risk flag of merchant A in `status` (fresh when the caller may act on it), or the shared open one. */
const riskFlag =
  (status: 'open' | 'clearing', body: unknown = { reason: '核查' }) =>
  async (fresh: boolean): Promise<Setup> => ({
    params: { id: fresh ? await newRiskFlag(status) : fx.riskFlag },
    body,
  });
async function newRiskFlag(status: 'open' | 'clearing'): Promise<string> {
  const [{ id }]: { id: string }[] = await api.db.query(
    `INSERT INTO risk_flags (rule_code, rule_version, subject_key, merchant_id, county_code, business_day, severity,
                             status, summary, evidence, proposed_by_id, proposed_reason)
     VALUES ('burst', 1, 'matrix:' || gen_random_uuid(), $1, 'hanbin', '2026-11-20', 'medium', $2::risk_flag_status,
             '矩阵', '{}', CASE WHEN $2::text = 'clearing' THEN gen_random_uuid() END,
             CASE WHEN $2::text = 'clearing' THEN '核查' END)
     RETURNING id`,
    [fx.merchantA.id, status],
  );
  return id;
}
const merchant =
  (pick: () => Promise<AppliedMerchant>, shared: () => AppliedMerchant, body?: unknown) =>
  async (fresh: boolean): Promise<Setup> => ({
    params: { id: (fresh ? await pick() : shared()).id },
    body,
  });

const ROWS: Row[] = [
  { method: 'GET', path: '/health/live', expect: PUBLIC },
  { method: 'GET', path: '/health/ready', expect: PUBLIC },

  { method: 'GET', path: '/api/v1/counties', expect: PUBLIC },
  {
    method: 'GET',
    path: '/api/v1/counties/{code}',
    expect: PUBLIC,
    setup: async () => ({ params: { code: 'hanbin' } }),
  },
  {
    method: 'POST',
    path: '/api/v1/counties',
    expect: CITY_ADMIN,
    audit: 'county.create',
    setup: async () => ({ body: { code: `zone-${next()}`, name: `测试新区${serial}`, kind: 'functional_zone' } }),
  },
  {
    method: 'PATCH',
    path: '/api/v1/counties/{code}',
    expect: CITY_ADMIN,
    audit: 'county.update',
    setup: async () => ({ params: { code: 'hanbin' }, body: { sortOrder: 0 } }),
  },
  { method: 'GET', path: '/api/v1/categories', expect: PUBLIC },
  {
    method: 'GET',
    path: '/api/v1/categories/{code}',
    expect: PUBLIC,
    setup: async () => ({ params: { code: 'catering' } }),
  },
  {
    method: 'POST',
    path: '/api/v1/categories',
    expect: CITY_ADMIN,
    audit: 'category.create',
    setup: async () => ({ body: { code: `cat-${next()}`, name: `测试类${serial}` } }),
  },
  {
    method: 'PATCH',
    path: '/api/v1/categories/{code}',
    expect: CITY_ADMIN,
    audit: 'category.update',
    setup: async () => ({ params: { code: 'catering' }, body: { sortOrder: 0 } }),
  },

  {
    method: 'POST',
    path: '/api/v1/auth/staff/login',
    expect: PUBLIC,
    setup: async () => ({ body: { username: 'finance', password: DEMO_PASSWORD } }),
  },
  {
    method: 'POST',
    path: '/api/v1/auth/staff/refresh',
    expect: PUBLIC,
    setup: async () => ({ body: { refreshToken: await refreshToken() } }),
  },
  {
    method: 'POST',
    path: '/api/v1/auth/staff/logout',
    expect: PUBLIC,
    setup: async () => ({ body: { refreshToken: await refreshToken() } }),
  },
  { method: 'GET', path: '/api/v1/auth/staff/me', expect: ALL_STAFF },

  { method: 'GET', path: '/api/v1/staff-accounts', expect: CITY_AND_AUDITOR },
  {
    method: 'GET',
    path: '/api/v1/staff-accounts/{id}',
    expect: CITY_AND_AUDITOR,
    setup: async () => ({ params: { id: fx.financeId } }),
  },
  {
    method: 'POST',
    path: '/api/v1/staff-accounts',
    // County admins create community agents of their own county only: 旬阳市's is refused one of 汉滨区.
    expect: grant({ city_admin: '2xx', county_admin: '2xx' }),
    audit: 'staff_account.create',
    setup: async (_fresh, who) => ({
      body: who.startsWith('county_admin')
        ? {
            username: `agent-${next()}`,
            displayName: '社区',
            password: 'agent-password',
            role: 'community_agent',
            countyCode: 'hanbin',
          }
        : { username: `auditor-${next()}`, displayName: '审计', password: 'auditor-password', role: 'auditor' },
    }),
  },
  {
    method: 'PATCH',
    path: '/api/v1/staff-accounts/{id}',
    expect: CITY_ADMIN,
    audit: 'staff_account.update',
    setup: async () => ({ params: { id: fx.financeId }, body: { displayName: '市商务局 财务' } }),
  },

  {
    method: 'POST',
    path: '/api/v1/merchants/applications',
    expect: PUBLIC,
    audit: 'merchant.apply',
    setup: async () => ({
      body: {
        merchant: merchantFields(),
        admin: { username: `applicant-${next()}`, displayName: '店长', password: 'applicant-password' },
      },
    }),
  },
  { method: 'GET', path: '/api/v1/merchants', expect: BUREAU },
  {
    method: 'GET',
    path: '/api/v1/merchants/{id}',
    expect: grant({
      ...BUREAU_ON_HANBIN,
      merchant_admin: '2xx',
      merchant_admin_other: 404,
      cashier: '2xx',
      cashier_other: 404,
    }),
    setup: async () => ({ params: { id: fx.merchantA.id } }),
  },
  {
    // Only the admin of the merchant that applied may correct its application: here, a merchant made for the call.
    method: 'PUT',
    path: '/api/v1/merchants/{id}/application',
    expect: ADMIN_OF_MERCHANT_A,
    audit: 'merchant.resubmit',
    setup: async (fresh) => {
      if (!fresh) return { params: { id: fx.pendingMerchant.id }, body: merchantFields() };
      const own = await applyMerchant(api);
      return {
        params: { id: own.id },
        body: merchantFields(),
        token: await api.login(own.adminUsername, own.adminPassword),
      };
    },
  },
  {
    method: 'POST',
    path: '/api/v1/merchants/{id}/approve',
    expect: OPERATORS_ON_HANBIN,
    audit: 'merchant.approve',
    setup: merchant(
      () => applyMerchant(api),
      () => fx.pendingMerchant,
    ),
  },
  {
    method: 'POST',
    path: '/api/v1/merchants/{id}/reject',
    expect: OPERATORS_ON_HANBIN,
    audit: 'merchant.reject',
    setup: merchant(
      () => applyMerchant(api),
      () => fx.pendingMerchant,
      { reason: '材料不全' },
    ),
  },
  {
    method: 'POST',
    path: '/api/v1/merchants/{id}/suspend',
    expect: OPERATORS_ON_HANBIN,
    audit: 'merchant.suspend',
    setup: merchant(
      () => approvedMerchant(api, fx.admin),
      () => fx.approvedMerchant,
      { reason: '核查' },
    ),
  },
  {
    method: 'POST',
    path: '/api/v1/merchants/{id}/reinstate',
    expect: OPERATORS_ON_HANBIN,
    audit: 'merchant.reinstate',
    setup: merchant(suspendedMerchant, () => fx.suspendedMerchant),
  },
  {
    method: 'GET',
    path: '/api/v1/merchants/{id}/staff',
    expect: grant({
      city_admin: '2xx',
      county_admin: '2xx',
      county_admin_other: 404,
      auditor: '2xx',
      merchant_admin: '2xx',
      merchant_admin_other: 404,
    }),
    setup: async () => ({ params: { id: fx.merchantA.id } }),
  },
  {
    method: 'POST',
    path: '/api/v1/merchants/{id}/cashiers',
    expect: ADMIN_OF_MERCHANT_A,
    audit: 'staff_account.create',
    setup: async () => ({
      params: { id: fx.merchantA.id },
      body: { username: `cashier-${next()}`, displayName: '收银员', password: 'cashier-password' },
    }),
  },
  {
    method: 'GET',
    path: '/api/v1/merchants/{id}/cashiers/{accountId}',
    expect: grant({
      city_admin: '2xx',
      county_admin: '2xx',
      county_admin_other: 404,
      auditor: '2xx',
      merchant_admin: '2xx',
      merchant_admin_other: 404,
    }),
    setup: async () => ({ params: { id: fx.merchantA.id, accountId: fx.cashierOfA } }),
  },
  {
    method: 'PATCH',
    path: '/api/v1/merchants/{id}/cashiers/{accountId}',
    expect: ADMIN_OF_MERCHANT_A,
    audit: 'staff_account.update',
    setup: async () => ({
      params: { id: fx.merchantA.id, accountId: fx.cashierOfA },
      body: { displayName: '收银员 甲' },
    }),
  },

  { method: 'GET', path: '/api/v1/campaigns', expect: BUREAU },
  {
    // Creating a campaign of another county is outside the caller's scope: 403 OUT_OF_SCOPE.
    method: 'POST',
    path: '/api/v1/campaigns',
    expect: grant({ city_admin: '2xx', county_admin: '2xx', county_admin_other: 403 }),
    audit: 'campaign.create',
    setup: async () => ({ body: newCampaign({ scopeCountyCode: 'hanbin' }) }),
  },
  {
    method: 'GET',
    path: '/api/v1/campaigns/{id}',
    expect: BUREAU_ON_HANBIN,
    setup: async () => ({ params: { id: fx.draft.id } }),
  },
  {
    method: 'DELETE',
    path: '/api/v1/campaigns/{id}',
    expect: OPERATORS_ON_HANBIN,
    audit: 'campaign.delete',
    setup: campaign(draft, () => fx.draft),
  },
  {
    method: 'GET',
    path: '/api/v1/campaigns/{id}/voucher-types/{typeId}',
    expect: BUREAU_ON_HANBIN,
    setup: campaign(draft, () => fx.draft),
  },
  {
    method: 'GET',
    path: '/api/v1/campaigns/{id}/rounds/{roundId}',
    expect: BUREAU_ON_HANBIN,
    setup: campaign(draft, () => fx.draft),
  },
  {
    method: 'GET',
    path: '/api/v1/campaigns/{id}/monitor',
    expect: grant({ city_admin: '2xx', county_admin: '2xx', county_admin_other: 404, auditor: '2xx' }),
    setup: async () => ({ params: { id: fx.draft.id } }),
  },
  {
    method: 'PATCH',
    path: '/api/v1/campaigns/{id}',
    expect: OPERATORS_ON_HANBIN,
    audit: 'campaign.update',
    setup: campaign(
      draft,
      () => fx.draft,
      () => ({ body: { name: '改名' } }),
    ),
  },
  {
    method: 'POST',
    path: '/api/v1/campaigns/{id}/voucher-types',
    expect: OPERATORS_ON_HANBIN,
    audit: 'campaign.voucher_type.create',
    setup: campaign(
      draft,
      () => fx.draft,
      () => ({ body: thresholdVoucher({ name: '满50减10', thresholdFen: 5000, discountFen: 1000 }) }),
    ),
  },
  {
    method: 'PUT',
    path: '/api/v1/campaigns/{id}/voucher-types/{typeId}',
    expect: OPERATORS_ON_HANBIN,
    audit: 'campaign.voucher_type.update',
    setup: campaign(
      draft,
      () => fx.draft,
      () => ({ body: thresholdVoucher() }),
    ),
  },
  {
    method: 'DELETE',
    path: '/api/v1/campaigns/{id}/voucher-types/{typeId}',
    expect: OPERATORS_ON_HANBIN,
    audit: 'campaign.voucher_type.delete',
    setup: async (fresh) => {
      if (!fresh) return { params: { id: fx.draft.id, typeId: fx.draft.voucherTypeId } };
      const ids = await draft();
      const spare = await api.call('POST', `/campaigns/${ids.id}/voucher-types`, {
        token: fx.maker,
        body: thresholdVoucher({ name: '备用' }),
      });
      return { params: { id: ids.id, typeId: spare.body.id as string } };
    },
  },
  {
    method: 'POST',
    path: '/api/v1/campaigns/{id}/rounds',
    expect: OPERATORS_ON_HANBIN,
    audit: 'campaign.round.create',
    setup: campaign(
      draft,
      () => fx.draft,
      (ids) => ({ body: firstComeRound(ids.voucherTypeId, { name: '第二场', opensAt: day(20), closesAt: day(21) }) }),
    ),
  },
  {
    method: 'PUT',
    path: '/api/v1/campaigns/{id}/rounds/{roundId}',
    expect: OPERATORS_ON_HANBIN,
    audit: 'campaign.round.update',
    setup: campaign(
      draft,
      () => fx.draft,
      (ids) => ({ body: firstComeRound(ids.voucherTypeId) }),
    ),
  },
  {
    method: 'DELETE',
    path: '/api/v1/campaigns/{id}/rounds/{roundId}',
    expect: OPERATORS_ON_HANBIN,
    audit: 'campaign.round.delete',
    setup: campaign(draft, () => fx.draft),
  },
  {
    method: 'POST',
    path: '/api/v1/campaigns/{id}/submit',
    expect: OPERATORS_ON_HANBIN,
    audit: 'campaign.submit',
    setup: campaign(draft, () => fx.draft),
  },
  {
    method: 'POST',
    path: '/api/v1/campaigns/{id}/approve',
    expect: OPERATORS_ON_HANBIN,
    audit: 'campaign.approve',
    setup: campaign(pending, () => fx.pending),
  },
  {
    method: 'POST',
    path: '/api/v1/campaigns/{id}/reject',
    expect: OPERATORS_ON_HANBIN,
    audit: 'campaign.reject',
    setup: campaign(
      pending,
      () => fx.pending,
      () => ({ body: { reason: '请补充' } }),
    ),
  },
  {
    method: 'POST',
    path: '/api/v1/campaigns/{id}/archive',
    expect: OPERATORS_ON_HANBIN,
    audit: 'campaign.archive',
    setup: campaign(ended, () => fx.ended),
  },
  {
    method: 'POST',
    path: '/api/v1/campaigns/{id}/pause',
    expect: OPERATORS_ON_HANBIN,
    audit: 'campaign.pause',
    setup: campaign(published, () => fx.published),
  },
  {
    method: 'POST',
    path: '/api/v1/campaigns/{id}/resume',
    expect: OPERATORS_ON_HANBIN,
    audit: 'campaign.resume',
    setup: campaign(published, () => fx.published),
  },
  {
    method: 'POST',
    path: '/api/v1/campaigns/{id}/extend',
    expect: OPERATORS_ON_HANBIN,
    audit: 'campaign.extend',
    setup: campaign(
      published,
      () => fx.published,
      () => ({ body: { endsAt: day(45) } }),
    ),
  },
  {
    method: 'POST',
    path: '/api/v1/campaigns/{id}/rounds/{roundId}/pause',
    expect: OPERATORS_ON_HANBIN,
    audit: 'campaign.round.pause',
    setup: campaign(published, () => fx.published),
  },
  {
    method: 'POST',
    path: '/api/v1/campaigns/{id}/rounds/{roundId}/resume',
    expect: OPERATORS_ON_HANBIN,
    audit: 'campaign.round.resume',
    setup: campaign(published, () => fx.published),
  },
  {
    method: 'POST',
    path: '/api/v1/campaigns/{id}/rounds/{roundId}/extend',
    expect: OPERATORS_ON_HANBIN,
    audit: 'campaign.round.extend',
    setup: campaign(
      published,
      () => fx.published,
      () => ({ body: { closesAt: day(13) } }),
    ),
  },
  {
    method: 'PUT',
    path: '/api/v1/campaigns/{id}/rounds/{roundId}/offers/{offerId}/stock',
    expect: OPERATORS_ON_HANBIN,
    audit: 'campaign.offer.stock',
    setup: campaign(
      published,
      () => fx.published,
      () => ({ body: { stock: 1200 } }),
    ),
  },
  {
    method: 'POST',
    path: '/api/v1/campaigns/{id}/counters',
    expect: OPERATORS_ON_HANBIN,
    audit: 'campaign.counters.prepare',
    setup: campaign(published, () => fx.published),
  },

  { method: 'GET', path: '/api/v1/audit-log', expect: CITY_AND_AUDITOR },
  { method: 'GET', path: '/api/v1/reports/overview', expect: BUREAU },
  { method: 'GET', path: '/api/v1/reports/leverage', expect: BUREAU, setup: async () => ({ query: 'by=county' }) },
  {
    method: 'GET',
    path: '/api/v1/reports/leverage/export',
    expect: BUREAU,
    setup: async () => ({ query: 'by=category&format=csv' }),
  },
  { method: 'GET', path: '/api/v1/audit-log/head', expect: CITY_AND_AUDITOR },
  {
    method: 'GET',
    path: '/api/v1/audit-log/redemptions',
    expect: CITY_AND_AUDITOR,
    setup: async () => ({ query: `merchantId=${fx.merchantA.id}&businessDay=2026-11-20` }),
  },
  // Risk: flags (county admins their county's), their maker-checker, merchant summaries, the rules.
  { method: 'GET', path: '/api/v1/risk/flags', expect: BUREAU },
  {
    method: 'GET',
    path: '/api/v1/risk/flags/{id}',
    expect: BUREAU_ON_HANBIN,
    setup: async () => ({ params: { id: fx.riskFlag } }),
  },
  {
    method: 'POST',
    path: '/api/v1/risk/flags/{id}/propose-clear',
    expect: OPERATORS_ON_HANBIN,
    audit: 'risk.flag.propose_clear',
    setup: riskFlag('open'),
  },
  {
    method: 'POST',
    path: '/api/v1/risk/flags/{id}/clear',
    expect: OPERATORS_ON_HANBIN,
    audit: 'risk.flag.clear',
    setup: riskFlag('clearing'),
  },
  {
    method: 'POST',
    path: '/api/v1/risk/flags/{id}/confirm',
    expect: OPERATORS_ON_HANBIN,
    audit: 'risk.flag.confirm',
    setup: riskFlag('open'),
  },
  {
    method: 'GET',
    path: '/api/v1/risk/merchants/{id}',
    expect: BUREAU_ON_HANBIN,
    setup: async () => ({ params: { id: fx.merchantA.id } }),
  },
  { method: 'GET', path: '/api/v1/risk/rules', expect: BUREAU },
  {
    method: 'PUT',
    path: '/api/v1/risk/rules/{code}',
    expect: CITY_ADMIN,
    audit: 'risk.rule.change',
    setup: async () => ({
      params: { code: 'identity_farm' },
      body: {
        parameters: {
          windowMinutes: 60,
          deviceIdentitiesMedium: 5,
          deviceIdentitiesHigh: 10,
          addressIdentitiesLow: 30,
        },
        reason: '复核',
      },
    }),
  },
  // Residents: sign-in, identity, rounds, claims and vouchers.
  {
    method: 'POST',
    path: '/api/v1/auth/otp',
    expect: PUBLIC,
    setup: async () => ({ body: { phone: `1390000${String(next()).padStart(4, '0')}` } }),
  },
  {
    method: 'POST',
    path: '/api/v1/auth/login',
    expect: PUBLIC,
    setup: async () => ({ body: { phone: `1370001${String(next()).padStart(4, '0')}`, code: DEV_OTP } }),
  },
  {
    method: 'POST',
    path: '/api/v1/auth/refresh',
    expect: PUBLIC,
    setup: async () => ({ body: { refreshToken: (await residentLogin()).refreshToken } }),
  },
  {
    method: 'POST',
    path: '/api/v1/auth/logout',
    expect: PUBLIC,
    setup: async () => ({ body: { refreshToken: (await residentLogin()).refreshToken } }),
  },
  { method: 'GET', path: '/api/v1/me', expect: RESIDENT },
  {
    method: 'POST',
    path: '/api/v1/me/identity',
    expect: RESIDENT,
    setup: async () => ({ body: { name: '测试', idNumber: RESIDENT_ID_NUMBER } }),
  },
  { method: 'GET', path: '/api/v1/rounds', expect: PUBLIC },
  {
    method: 'GET',
    path: '/api/v1/rounds/{roundId}',
    expect: PUBLIC,
    setup: async () => ({ params: { roundId: fx.demoRound.roundId } }),
  },
  {
    method: 'POST',
    path: '/api/v1/rounds/{roundId}/claims',
    expect: RESIDENT,
    setup: async () => ({ params: { roundId: fx.demoRound.roundId }, body: { offerId: fx.demoRound.offerId } }),
  },
  {
    method: 'POST',
    path: '/api/v1/rounds/{roundId}/registrations',
    expect: RESIDENT,
    setup: async () => ({ params: { roundId: fx.lotteryRoundId } }),
  },
  {
    method: 'GET',
    path: '/api/v1/me/registrations/{roundId}',
    expect: RESIDENT,
    setup: async () => {
      await api.call('POST', `/rounds/${fx.lotteryRoundId}/registrations`, { token: fx.tokens.resident });
      return { params: { roundId: fx.lotteryRoundId } };
    },
  },
  {
    method: 'GET',
    path: '/api/v1/rounds/{roundId}/lottery',
    expect: PUBLIC,
    setup: async () => ({ params: { roundId: fx.lotteryRoundId } }),
  },
  { method: 'GET', path: '/api/v1/me/vouchers', expect: RESIDENT },
  {
    method: 'GET',
    path: '/api/v1/me/vouchers/{id}',
    expect: RESIDENT,
    setup: async () => ({ params: { id: fx.voucher.id } }),
  },
  {
    method: 'POST',
    path: '/api/v1/me/vouchers/{id}/prints',
    expect: RESIDENT,
    setup: async () => ({ params: { id: fx.voucher.id } }),
  },
  { method: 'GET', path: '/api/v1/merchant-directory', expect: PUBLIC },
  // Assisted claims: agents register and act for their county's residents; county admins read their county's.
  {
    method: 'POST',
    path: '/api/v1/assisted-residents',
    expect: grant({ community_agent: '2xx' }),
    audit: 'assisted_resident.register',
    setup: async () => ({ body: { name: '王秀英', idNumber: assistedIdNumber(), countyCode: 'hanbin', ...CONSENT } }),
  },
  {
    method: 'GET',
    path: '/api/v1/assisted-residents',
    expect: grant({
      city_admin: '2xx',
      county_admin: '2xx',
      county_admin_other: '2xx',
      auditor: '2xx',
      community_agent: '2xx',
    }),
  },
  {
    method: 'GET',
    path: '/api/v1/assisted-residents/{id}',
    expect: grant({
      city_admin: '2xx',
      county_admin: '2xx',
      county_admin_other: 404,
      auditor: '2xx',
      community_agent: '2xx',
    }),
    setup: async () => ({ params: { id: fx.assistedResident } }),
  },
  {
    method: 'POST',
    path: '/api/v1/assisted-residents/{id}/sessions',
    expect: grant({ community_agent: '2xx' }),
    audit: 'assisted_resident.acting_session',
    setup: async () => ({ params: { id: fx.assistedResident } }),
  },
  {
    method: 'POST',
    path: '/api/v1/me/vouchers/{id}/qr',
    expect: RESIDENT,
    setup: async () => ({ params: { id: fx.voucher.id } }),
  },
  // Merchants' tills: any approved merchant may redeem an eligible voucher; reversals only its own.
  { method: 'POST', path: '/api/v1/merchant/redemptions/quote', expect: MERCHANT_STAFF, setup: redemption },
  { method: 'POST', path: '/api/v1/merchant/redemptions', expect: MERCHANT_STAFF, setup: redemption },
  { method: 'GET', path: '/api/v1/merchant/redemptions', expect: MERCHANT_STAFF },
  {
    method: 'POST',
    path: '/api/v1/merchant/redemptions/{id}/reversal',
    expect: STAFF_OF_MERCHANT_A,
    audit: 'redemption.reverse',
    setup: async (fresh) => ({
      params: { id: fresh ? await redemptionOfA() : fx.redemptionOfA },
      body: { reason: '顾客退货' },
    }),
  },

  // Settlement: finance acts, auditors read, a merchant admin reads its own merchant's statements and transfers.
  {
    method: 'GET',
    path: '/api/v1/settlement/statements',
    expect: grant({ finance: '2xx', auditor: '2xx', merchant_admin: '2xx', merchant_admin_other: '2xx' }),
  },
  {
    method: 'GET',
    path: '/api/v1/settlement/statements/{id}',
    expect: grant({ finance: '2xx', auditor: '2xx', merchant_admin: '2xx', merchant_admin_other: 404 }),
    setup: async () => ({ params: { id: fx.statement } }),
  },
  {
    method: 'POST',
    path: '/api/v1/settlement/statements/{id}/submit',
    expect: FINANCE,
    audit: 'settlement.statement.submit',
    setup: statement('open'),
  },
  {
    method: 'POST',
    path: '/api/v1/settlement/statements/{id}/approve',
    expect: FINANCE,
    audit: 'settlement.statement.approve',
    setup: statement('submitted'),
  },
  {
    method: 'POST',
    path: '/api/v1/settlement/payout-batches',
    expect: FINANCE,
    audit: 'settlement.payout_batch.create',
    setup: async (fresh) => {
      if (fresh) await statementAt(api.db, fx.merchantA.id, 'approved');
      return { body: {} };
    },
  },
  {
    method: 'GET',
    path: '/api/v1/settlement/payout-batches',
    expect: grant({ finance: '2xx', auditor: '2xx', merchant_admin: '2xx', merchant_admin_other: '2xx' }),
  },
  {
    method: 'GET',
    path: '/api/v1/settlement/payout-batches/{id}',
    expect: grant({ finance: '2xx', auditor: '2xx', merchant_admin: '2xx', merchant_admin_other: 404 }),
    setup: async () => ({ params: { id: fx.payout.batchId } }),
  },
  {
    method: 'GET',
    path: '/api/v1/settlement/payout-batches/{id}/csv',
    expect: FINANCE_AND_AUDITOR,
    setup: async () => ({ params: { id: fx.payout.batchId } }),
  },
  {
    method: 'POST',
    path: '/api/v1/settlement/payout-batches/{id}/transfers/{transferId}/outcome',
    expect: FINANCE,
    audit: 'settlement.payout_transfer.mark',
    setup: async (fresh) => {
      const { batchId, transferId } = fresh ? await payoutBatchOf(api.db, fx.merchantA.id, fx.financeId) : fx.payout;
      return { params: { id: batchId, transferId }, body: { status: 'paid' } };
    },
  },
  {
    // A day of its own per call, so each allowed call asks for a new run (a run of a day already queued is answered, not asked for again).
    method: 'POST',
    path: '/api/v1/settlement/runs',
    expect: grant({ city_admin: '2xx', finance: '2xx' }),
    audit: 'settlement.run.request',
    setup: async () => ({
      body: {
        kind: 'settle_day',
        businessDay: new Date(Date.UTC(2024, 0, 1) + (settleDays += 1) * 86400000).toISOString().slice(0, 10),
      },
    }),
  },
  {
    method: 'GET',
    path: '/api/v1/settlement/runs/{id}',
    expect: grant({ city_admin: '2xx', finance: '2xx', auditor: '2xx' }),
    setup: async () => ({ params: { id: fx.run } }),
  },
  {
    method: 'GET',
    path: '/api/v1/admin/reconciliation',
    expect: grant({ city_admin: '2xx', finance: '2xx', auditor: '2xx' }),
  },
  { method: 'POST', path: '/api/v1/admin/queue-view/session', expect: CITY_ADMIN },
];

/** Creations answered 201 whose records have no URL of their own (yet): their ids are in the body. */
const WITHOUT_URL = ['/api/v1/rounds/{roundId}/claims', '/api/v1/merchant/redemptions'];

/**
 * Out of scope reads and writes hide existence: the caller gets the resource's own NOT_FOUND code, the
 * very answer an id that does not exist gets (the first path parameter replaced by a fresh uuid).
 */
async function hiddenLikeMissing(
  method: Method,
  who: Who,
  url: string,
  reply: { status: number; body: { code?: string } },
  setup: Setup,
  param: string,
): Promise<string[]> {
  const code = reply.body.code ?? '';
  if (!/^[A-Z_]+_NOT_FOUND$/.test(code))
    return [`${who}: out of scope answered ${reply.status} ${code}, not a resource's NOT_FOUND`];
  const missingUrl = url.replace(setup.params![param], randomUUID());
  const missing = await api.call(method, missingUrl, {
    token: setup.token ?? fx.tokens[who],
    body: setup.body,
    headers: setup.headers,
  });
  if (missing.status !== reply.status || missing.body.code !== code)
    return [`${who}: out of scope answered ${code}, a missing ${param} ${missing.status} ${missing.body.code}`];
  hidden.add(code);
  return [];
}
/** The NOT_FOUND codes of the resources whose out-of-scope answers the matrix found identical to a missing id's. */
const hidden = new Set<string>();

interface Operation {
  responses: Record<
    string,
    {
      headers?: Record<string, unknown>;
      content?: Record<string, { schema?: { allOf?: { properties?: { code?: { enum?: string[] } } }[] } }>;
    }
  >;
  security?: unknown[];
  requestBody?: { content: Record<string, { schema: { $ref?: string; properties?: Record<string, unknown> } }> };
  'x-quan-roles'?: string[];
}
type OpenApi = { paths: Record<string, Record<string, Operation>> };

const documentedCodes = (operation: Operation, status: number): string[] =>
  operation.responses[String(status)]?.content?.['application/problem+json']?.schema?.allOf?.[1]?.properties?.code
    ?.enum ?? [];

describe('authorization matrix: every endpoint × every role', () => {
  let openapi: OpenApi;

  beforeAll(async () => {
    api = await startApi({ AUTH_DEV_OTP: DEV_OTP });
    openapi = (await api.app.inject({ url: '/docs/openapi.json' })).json() as OpenApi;
    const admin = await api.login('admin');
    await api.call('POST', '/staff-accounts', {
      token: admin,
      body: {
        username: 'hanbin-maker',
        displayName: '汉滨区 经办',
        password: 'maker-password',
        role: 'county_admin',
        countyCode: 'hanbin',
      },
    });
    const maker = await api.login('hanbin-maker', 'maker-password');
    const merchantA = await approvedMerchant(api, admin, 'hanbin');
    const merchantB = await approvedMerchant(api, admin, 'xunyang');
    const [adminOfA, adminOfB] = [
      await api.login(merchantA.adminUsername, merchantA.adminPassword),
      await api.login(merchantB.adminUsername, merchantB.adminPassword),
    ];
    const cashier = async (merchantId: string, token: string, username: string) => {
      const created = await api.call('POST', `/merchants/${merchantId}/cashiers`, {
        token,
        body: { username, displayName: '收银员', password: 'cashier-password' },
      });
      return created.body.id as string;
    };
    const cashierOfA = await cashier(merchantA.id, adminOfA, 'matrix-cashier-a');
    const cashierOfB = await cashier(merchantB.id, adminOfB, 'matrix-cashier-b');
    fx = { admin, maker, merchantA, cashierOfA, cashierOfB } as Fixtures;
    fx.tokens = {
      anonymous: undefined,
      city_admin: admin,
      county_admin: await api.login('hanbin-admin'),
      county_admin_other: await api.login('xunyang-admin'),
      finance: await api.login('finance'),
      auditor: await api.login('auditor'),
      merchant_admin: adminOfA,
      merchant_admin_other: adminOfB,
      cashier: await api.login('matrix-cashier-a', 'cashier-password'),
      cashier_other: await api.login('matrix-cashier-b', 'cashier-password'),
      community_agent: await communityAgent(admin),
      resident: await verifiedResident(),
    };
    fx.assistedResident = (
      await api.call('POST', '/assisted-residents', {
        token: fx.tokens.community_agent,
        body: { name: '王秀英', idNumber: assistedIdNumber(), countyCode: 'hanbin', ...CONSENT },
      })
    ).body.residentId as string;
    const rounds = (await api.call('GET', '/rounds')).body as unknown as {
      id: string;
      mode: string;
      campaignName: string;
      offers: { id: string }[];
    }[];
    const round = rounds.find((listed) => listed.mode === 'first_come')!;
    fx.demoRound = { roundId: round.id, offerId: round.offers[0].id };
    fx.lotteryRoundId = rounds.find((listed) => listed.mode === 'lottery')!.id;
    fx.financeId = (await api.db.getRepository(StaffAccount).findOneByOrFail({ username: 'finance' })).id;
    fx.residentId = (await api.call('GET', '/me', { token: fx.tokens.resident })).body.id as string;
    fx.voucher = await freshVoucher();
    fx.redemptionOfA = await redemptionOfA();
    [fx.draft, fx.pending, fx.published, fx.ended] = [await draft(), await pending(), await published(), await ended()];
    [fx.pendingMerchant, fx.approvedMerchant, fx.suspendedMerchant] = [
      await applyMerchant(api),
      await approvedMerchant(api, admin),
      await suspendedMerchant(),
    ];
    fx.statement = await statementAt(api.db, merchantA.id, 'open');
    fx.riskFlag = await newRiskFlag('open');
    fx.payout = await payoutBatchOf(api.db, merchantA.id, fx.financeId);
    await api.db.query(`INSERT INTO reconciliation_reports (ok, figures, differences) VALUES (true, '{}', '[]')`);
    [{ id: fx.run }] = await api.db.query(
      `INSERT INTO settlement_runs (kind, subject, requested_by_id) VALUES ('reconciliation', 'reconciliation', $1) RETURNING id`,
      [fx.financeId],
    );
  });

  afterAll(() => api?.close());

  it('has a row for every endpoint of the OpenAPI document, and no other', () => {
    const documented = Object.entries(openapi.paths).flatMap(([path, operations]) =>
      Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(ROWS.map((row) => `${row.method} ${row.path}`).sort()).toEqual(documented.sort());
  });

  it.each(ROWS.map((row) => [`${row.method} ${row.path}`, row] as const))('%s', async (_name, row) => {
    const operation = openapi.paths[row.path]?.[row.method.toLowerCase()];
    expect(operation).toBeDefined();
    const problems: string[] = [];
    for (const who of WHO) {
      const expected = row.expect[who];
      const setup = (await row.setup?.(expected === '2xx', who)) ?? {};
      const path = row.path
        .replace(/^\/api\/v1/, '')
        .replace(/\{(\w+)\}/g, (_m, name: string) => setup.params?.[name] ?? `{${name}}`);
      const url = setup.query ? `${path}?${setup.query}` : path;
      const requestId = `matrix-${next()}`;
      const token = setup.token ?? fx.tokens[who];
      const reply = row.path.startsWith('/api/v1')
        ? await api.call(row.method, url, { token, body: setup.body, requestId, headers: setup.headers })
        : await api.app
            .inject({
              method: row.method,
              url,
              headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), 'x-request-id': requestId },
            })
            .then((r) => ({ status: r.statusCode, headers: r.headers, body: r.json() as { code?: string } }));
      // A DTO ($ref) or a JSON schema of its own (the claim body's, see SchemaPipe) documents the body.
      const bodySchema = operation.requestBody?.content['application/json']?.schema;
      if (setup.body !== undefined && !bodySchema?.$ref && !bodySchema?.properties)
        problems.push(`${who}: the request body has no schema in OpenAPI`);
      const got: Outcome | number = reply.status >= 200 && reply.status < 300 ? '2xx' : reply.status;
      if (got !== expected) problems.push(`${who}: expected ${expected}, got ${reply.status} ${reply.body.code ?? ''}`);
      if (reply.status >= 400 && !documentedCodes(operation, reply.status).includes(reply.body.code ?? '')) {
        problems.push(`${who}: ${reply.status} ${reply.body.code} is not documented in OpenAPI`);
      }
      if (expected === 404)
        problems.push(...(await hiddenLikeMissing(row.method, who, url, reply, setup, /\{(\w+)\}/.exec(row.path)![1])));
      if (reply.status === 201 && !WITHOUT_URL.includes(row.path)) {
        const location = String(reply.headers.location ?? '');
        if (
          !location.startsWith('/api/v1/') ||
          !JSON.stringify(reply.body).includes(`"${location.split('/').pop()}"`)
        ) {
          problems.push(
            `${who}: 201 with Location "${location}" that does not name the created resource's id in the body`,
          );
        }
        const readable = Object.entries(openapi.paths).some(
          ([path, operations]) => operations.get && new RegExp(`^${path.replace(/\{\w+\}/g, '[^/]+')}$`).test(location),
        );
        if (!readable) problems.push(`${who}: 201 with Location "${location}", which no GET endpoint answers`);
      }
      if (row.method !== 'GET') {
        const actions = (await api.db.getRepository(AuditLog).find({ where: { requestId } })).map(
          (entry) => entry.action,
        );
        if (got === '2xx' && row.audit && !actions.includes(row.audit))
          problems.push(`${who}: no ${row.audit} audit entry (got ${actions.join(', ') || 'none'})`);
        if (got !== '2xx' && actions.length > 0)
          problems.push(`${who}: a refused request left audit entries ${actions.join(', ')}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it("hides another merchant's cashier under the caller's own merchant as if it did not exist", async () => {
    const problems: string[] = [];
    for (const method of ['GET', 'PATCH'] as const) {
      const setup = {
        params: { accountId: fx.cashierOfB },
        body: method === 'PATCH' ? { displayName: '改名' } : undefined,
      };
      const url = `/merchants/${fx.merchantA.id}/cashiers/${fx.cashierOfB}`;
      const reply = await api.call(method, url, { token: fx.tokens.merchant_admin, body: setup.body });
      problems.push(
        ...(reply.status === 404
          ? await hiddenLikeMissing(method, 'merchant_admin', url, reply, setup, 'accountId')
          : [`${method}: ${reply.status}`]),
      );
    }
    expect(problems).toEqual([]);
  });

  it('hides every scoped resource type out of scope: merchants, their staff, campaigns, statements, payout batches, redemptions, assisted residents, risk flags', () => {
    expect([...hidden].sort()).toEqual([
      'ASSISTED_RESIDENT_NOT_FOUND',
      'CAMPAIGN_NOT_FOUND',
      'MERCHANT_NOT_FOUND',
      'PAYOUT_BATCH_NOT_FOUND',
      'REDEMPTION_NOT_FOUND',
      'RISK_FLAG_NOT_FOUND',
      'STAFF_ACCOUNT_NOT_FOUND',
      'STATEMENT_NOT_FOUND',
    ]);
  });

  it('answers OUT_OF_SCOPE only to a change of a campaign the caller may see but not change, or naming a county not theirs', () => {
    // Another county's or merchant's objects are 404 (above); a county admin sees the city-wide campaigns, read-only.
    const documented = ROWS.filter((row) =>
      documentedCodes(openapi.paths[row.path][row.method.toLowerCase()], 403).includes(ErrorCode.OutOfScope),
    );
    // An agent registering a resident names the resident's county, which must be the agent's.
    const namingACounty = ['POST /api/v1/assisted-residents'];
    expect(
      documented.filter(
        (row) =>
          (row.method === 'GET' || !row.path.startsWith('/api/v1/campaigns')) &&
          !namingACounty.includes(`${row.method} ${row.path}`),
      ),
    ).toEqual([]);
  });

  it("documents the residents' round listing with the fields it answers, not those of a namesake DTO", async () => {
    type Schema = {
      $ref?: string;
      items?: Schema;
      properties?: Record<string, Schema>;
      content?: Record<string, { schema: Schema }>;
    };
    const document = openapi as unknown as {
      paths: Record<string, Record<string, { responses: Record<string, Schema> }>>;
      components: { schemas: Record<string, Schema> };
    };
    const resolve = (schema: Schema | undefined): Schema =>
      document.components.schemas[schema?.$ref?.split('/').pop() ?? ''] ?? {};
    const round = resolve(
      document.paths['/api/v1/rounds'].get.responses['200'].content?.['application/json'].schema.items,
    );
    const offer = resolve(round.properties?.offers?.items);
    const [listed] = (await api.call('GET', '/rounds?status=open')).body as unknown as { offers: object[] }[];
    expect(Object.keys(listed).sort()).toEqual(Object.keys(round.properties ?? {}).sort());
    expect(Object.keys(listed.offers[0]).sort()).toEqual(Object.keys(offer.properties ?? {}).sort());
  });

  it("audits every write except sign-in, residents' own actions and redemptions", () => {
    // Sign-in changes no business data; a resident's identity, claims and lottery registrations are records of
    // their own (residents.identity_id, claims, lottery_registrations), written at surge volume, not configuration changes. A redemption
    // is its own record (who, where, when, how much; GET /audit-log/redemptions reads it); its reversal is audited. A QR token
    // or a printed copy changes nothing. A community agent's requests on a resident's identity (claims, prints) are
    // audited as the agent's (apps/api/test/assisted-claims.spec.ts).
    const unaudited = ROWS.filter((row) => row.method !== 'GET' && !row.audit).map((row) => row.path);
    expect(unaudited).toEqual([
      '/api/v1/auth/staff/login',
      '/api/v1/auth/staff/refresh',
      '/api/v1/auth/staff/logout',
      '/api/v1/auth/otp',
      '/api/v1/auth/login',
      '/api/v1/auth/refresh',
      '/api/v1/auth/logout',
      '/api/v1/me/identity',
      '/api/v1/rounds/{roundId}/claims',
      '/api/v1/rounds/{roundId}/registrations',
      '/api/v1/me/vouchers/{id}/prints',
      '/api/v1/me/vouchers/{id}/qr',
      '/api/v1/merchant/redemptions/quote',
      '/api/v1/merchant/redemptions',
      '/api/v1/admin/queue-view/session',
    ]);
  });

  it('documents, for every endpoint, its roles as the matrix finds them and its error codes by status', () => {
    const problems: string[] = [];
    for (const row of ROWS) {
      const operation = openapi.paths[row.path][row.method.toLowerCase()];
      const name = `${row.method} ${row.path}`;
      if (!Object.keys(operation.responses).some((status) => status.startsWith('2')))
        problems.push(`${name}: no 2xx response`);
      if (
        operation.responses['201'] &&
        !WITHOUT_URL.includes(row.path) &&
        !operation.responses['201'].headers?.Location
      )
        problems.push(`${name}: 201 without a Location header`);
      const isPublic = row.expect.anonymous === '2xx';
      if (isPublic === Boolean(operation.security?.length))
        problems.push(`${name}: bearer security documented ${!isPublic}, expected ${!isPublic}`);
      if (!isPublic) {
        const allowed = new Set(
          WHO.filter((who) => who !== 'anonymous' && (row.expect[who] === '2xx' || row.expect[who] === 404)).map(
            (who) => ROLE_OF[who as Exclude<Who, 'anonymous'>],
          ),
        );
        if ([...allowed].sort().join() !== [...(operation['x-quan-roles'] ?? [])].sort().join())
          problems.push(`${name}: x-quan-roles ${operation['x-quan-roles']} but the matrix allows ${[...allowed]}`);
        for (const status of [401, 403])
          if (documentedCodes(operation, status).length === 0) problems.push(`${name}: ${status} not documented`);
      }
      // The health probes answer their own JSON (a readiness report), not problems.
      for (const [status, response] of Object.entries(row.path.startsWith('/api/v1') ? operation.responses : {})) {
        if (Number(status) < 400) continue;
        const codes = documentedCodes(operation, Number(status));
        if (codes.length === 0 || !response.content) problems.push(`${name}: ${status} without problem+json codes`);
        for (const code of codes) {
          if (HTTP_STATUS_BY_CODE[code as ErrorCode] !== Number(status))
            problems.push(`${name}: ${code} documented under ${status}`);
        }
      }
    }
    expect(problems).toEqual([]);
  });
});
