import { Api } from './api';

const DAY = 24 * 3600 * 1000;
let serial = 0;

/** A day at midnight Asia/Shanghai, `days` from today (so campaign windows are well clear of "now"). */
export function day(days: number, hour = 0): string {
  const today = new Date(`${new Date(Date.now() + 8 * 3600 * 1000).toISOString().slice(0, 10)}T00:00:00+08:00`);
  return new Date(today.getTime() + days * DAY + hour * 3600 * 1000).toISOString();
}

/** Campaign window: days 10 to 40 from today. */
export const CAMPAIGN_STARTS = day(10);
export const CAMPAIGN_ENDS = day(40);

export function newCampaign(overrides: Record<string, unknown> = {}) {
  serial += 1;
  return {
    code: `T-${Date.now().toString(36).toUpperCase()}-${serial}`,
    name: `测试活动 ${serial}`,
    budgetFen: 5_000_000,
    startsAt: CAMPAIGN_STARTS,
    endsAt: CAMPAIGN_ENDS,
    limits: { perPerson: 2, perPersonPerRound: 1, perPersonPerDay: 1 },
    ...overrides,
  };
}

/** 满100减20, valid 7 days from claim. */
export function thresholdVoucher(overrides: Record<string, unknown> = {}) {
  return {
    name: '满100减20',
    kind: 'threshold',
    thresholdFen: 10000,
    discountFen: 2000,
    validityKind: 'days_from_claim',
    validDays: 7,
    ...overrides,
  };
}

export function firstComeRound(voucherTypeId: string, overrides: Record<string, unknown> = {}) {
  return {
    name: '第一场',
    mode: 'first_come',
    opensAt: day(11, 10),
    closesAt: day(12, 10),
    offers: [{ name: '满减券', stock: 1000, items: [{ voucherTypeId, quantity: 1 }] }],
    ...overrides,
  };
}

export interface DraftIds {
  id: string;
  voucherTypeId: string;
  roundId: string;
  offerId: string;
}

/** A complete draft (one 满减 type, one round of 1,000) made through the API by `token`. */
export async function draftCampaign(
  api: Api,
  token: string,
  overrides: Record<string, unknown> = {},
): Promise<DraftIds> {
  const created = await api.call('POST', '/campaigns', { token, body: newCampaign(overrides) });
  if (created.status !== 201) throw new Error(`draft: ${created.status} ${JSON.stringify(created.body)}`);
  const id = created.body.id as string;
  const voucherTypeId = (await api.call('POST', `/campaigns/${id}/voucher-types`, { token, body: thresholdVoucher() }))
    .body.id as string;
  const round = (await api.call('POST', `/campaigns/${id}/rounds`, { token, body: firstComeRound(voucherTypeId) }))
    .body as { id: string; offers: { id: string }[] };
  return { id, voucherTypeId, roundId: round.id, offerId: round.offers[0].id };
}

/** Drafts, submits (by the maker) and approves (by the checker): a published campaign. */
export async function publishedCampaign(
  api: Api,
  maker: string,
  checker: string,
  overrides: Record<string, unknown> = {},
): Promise<DraftIds> {
  const ids = await draftCampaign(api, maker, overrides);
  await api.call('POST', `/campaigns/${ids.id}/submit`, { token: maker });
  const approved = await api.call('POST', `/campaigns/${ids.id}/approve`, { token: checker });
  if (approved.status !== 200) throw new Error(`approve: ${approved.status} ${JSON.stringify(approved.body)}`);
  return ids;
}

/** A pending campaign awaiting approval. */
export async function pendingCampaign(
  api: Api,
  maker: string,
  overrides: Record<string, unknown> = {},
): Promise<DraftIds> {
  const ids = await draftCampaign(api, maker, overrides);
  await api.call('POST', `/campaigns/${ids.id}/submit`, { token: maker });
  return ids;
}
