import createClient from 'openapi-fetch';
// api-contract.spec.ts resolves this to the types it generates from the running api's document.
import type { paths } from 'quan-api-schema';

/**
 * A client of the api as a web app writes one: openapi-fetch typed by the types generated from the
 * api's OpenAPI document (committed as libs/web/api/src/schema.d.ts). api-contract.spec.ts type-checks
 * this file against the types of the running api's document, so a schema a client cannot trust (an
 * instant declared `object`, money that is not a number) fails the test. Each function covers one step a web app takes; its annotated locals state what
 * the app relies on. Add a function for each operation a web app starts to use.
 */
type Client = ReturnType<typeof createClient<paths>>;

export const connect = (token: string): Client =>
  createClient<paths>({ baseUrl: 'http://localhost:3000', headers: { authorization: `Bearer ${token}` } });

/** A problem answer: its stable code is what the apps translate. */
function fail(step: string, error: { code: string; detail: string; status: number } | undefined): never {
  throw new Error(`${step}: ${error?.status} ${error?.code} ${error?.detail}`);
}

/** Console: a county operator drafts a campaign, a city operator approves it (maker-checker). */
export async function draftAndApproveCampaign(maker: Client, approver: Client): Promise<string> {
  const created = await maker.POST('/api/v1/campaigns', {
    body: {
      code: 'QLG-08',
      name: '秦乐购·第八期消费券',
      scopeCountyCode: 'hanbin',
      budgetFen: 500_000_000,
      startsAt: '2026-05-01T00:00:00+08:00',
      endsAt: '2026-05-31T23:59:59+08:00',
      limits: { perPerson: 1, perPersonPerDay: null },
    },
  });
  if (!created.data) fail('create', created.error);
  const id: string = created.data.id;
  const budgetFen: number = created.data.budgetFen;
  const endsAt: string = created.data.endsAt;
  const approved = await approver.POST('/api/v1/campaigns/{id}/approve', { params: { path: { id } } });
  if (!approved.data) fail('approve', approved.error);
  const approvedAt: string | null = approved.data.approvedAt;
  const worstCaseSubsidyFen: number = approved.data.worstCaseSubsidyFen;
  for (const type of approved.data.voucherTypes) {
    const validFrom: string | null | undefined = type.validFrom;
    const discountFen: number | null | undefined = type.discountFen;
    void [validFrom, discountFen];
  }
  for (const round of approved.data.rounds) {
    const drawAt: string | null | undefined = round.drawAt;
    const stock: number = round.offers[0].stock;
    void [drawAt, stock];
  }
  void [budgetFen, endsAt, approvedAt, worstCaseSubsidyFen];
  return id;
}

/** Resident H5: the rounds with their countdown, a claim, the wallet, a QR code for the till. */
export async function claimAndShowQr(resident: Client): Promise<string> {
  const rounds = await resident.GET('/api/v1/rounds', { params: { query: { status: ['open', 'upcoming'] } } });
  if (!rounds.data) throw new Error('rounds');
  const [round] = rounds.data;
  const opensAt: string = round.opensAt;
  const closesAt: string = round.closesAt;
  const remaining: number = round.offers[0].remaining;
  const thresholdFen: number = round.offers[0].vouchers[0].thresholdFen;
  void [opensAt, closesAt, remaining, thresholdFen];

  const claimed = await resident.POST('/api/v1/rounds/{roundId}/claims', {
    params: { path: { roundId: round.id }, header: { 'Idempotency-Key': 'claim-0001' } },
    body: { offerId: round.offers[0].id },
  });
  if (!claimed.data) fail('claim', claimed.error);
  const claimedAt: string = claimed.data.claimedAt;
  void claimedAt;

  const wallet = await resident.GET('/api/v1/me/vouchers');
  if (!wallet.data) fail('vouchers', wallet.error);
  const [voucher] = wallet.data;
  const validUntil: string = voucher.validUntil;
  const shortCode: string = voucher.shortCode;
  void [validUntil, shortCode];

  const detail = await resident.GET('/api/v1/me/vouchers/{id}', { params: { path: { id: voucher.id } } });
  if (!detail.data) fail('voucher', detail.error);
  for (const event of detail.data.history) {
    const at: string = event.at;
    const orderAmountFen: number | null = event.orderAmountFen;
    void [at, orderAmountFen];
  }

  const qr = await resident.POST('/api/v1/me/vouchers/{id}/qr', { params: { path: { id: voucher.id } } });
  if (!qr.data) fail('qr', qr.error);
  const expiresAt: string = qr.data.expiresAt;
  void expiresAt;
  return qr.data.token;
}

/** Till H5: quote the voucher, redeem it, reverse it. */
export async function redeemAtTheTill(cashier: Client, token: string): Promise<void> {
  const quote = await cashier.POST('/api/v1/merchant/redemptions/quote', { body: { token, orderAmountFen: 12_800 } });
  if (!quote.data) fail('quote', quote.error);
  const payableFen: number = quote.data.payableFen;
  const voucherValidUntil: string = quote.data.voucher.validUntil;
  void [payableFen, voucherValidUntil];

  const redeemed = await cashier.POST('/api/v1/merchant/redemptions', {
    params: { header: { 'Idempotency-Key': 'till-1-0001' } },
    body: { token, orderAmountFen: 12_800 },
  });
  if (!redeemed.data) fail('redeem', redeemed.error);
  const subsidyFen: number = redeemed.data.subsidyFen;
  const redeemedAt: string = redeemed.data.redeemedAt;
  const businessDay: string = redeemed.data.businessDay;
  void [subsidyFen, redeemedAt, businessDay];

  const reversed = await cashier.POST('/api/v1/merchant/redemptions/{id}/reversal', {
    params: { path: { id: redeemed.data.id } },
    body: { reason: '顾客退货' },
  });
  if (!reversed.data) fail('reversal', reversed.error);
  const reversedAt: string | null = reversed.data.reversedAt;
  void reversedAt;
}

/** Console: finance reads the statements of a business day. */
export async function readStatements(finance: Client): Promise<number> {
  const page = await finance.GET('/api/v1/settlement/statements', {
    params: { query: { businessDay: '2026-11-26', limit: 50 } },
  });
  if (!page.data) fail('statements', page.error);
  let totalFen = 0;
  for (const statement of page.data.items) {
    const day: string = statement.businessDay;
    const generatedAt: string = statement.generatedAt;
    void [day, generatedAt];
    totalFen += statement.totalFen;
  }
  return totalFen;
}

/** Resident H5: where a voucher can be spent, by county, category and part of the name. */
export async function findMerchants(anyone: Client): Promise<string[]> {
  const page = await anyone.GET('/api/v1/merchant-directory', {
    params: { query: { countyCode: 'hanbin', categoryCode: 'catering', name: '酒家', limit: 20, offset: 0 } },
  });
  if (!page.data) fail('directory', page.error);
  const total: number = page.data.total;
  void total;
  return page.data.items.map((merchant) => `${merchant.name} ${merchant.countyName} ${merchant.categoryName}`);
}

/** Console: a draft never submitted is deleted, freeing its code. */
export async function deleteDraft(operator: Client, id: string): Promise<void> {
  const deleted = await operator.DELETE('/api/v1/campaigns/{id}', { params: { path: { id } } });
  if (deleted.error) fail('delete', deleted.error);
}

/** Console: finance settles a past day again on demand, polls the run, then lists the payout batches. */
export async function settleOnDemand(finance: Client): Promise<number> {
  const asked = await finance.POST('/api/v1/settlement/runs', {
    body: { kind: 'settle_day', businessDay: '2026-11-26' },
  });
  if (!asked.data) fail('run', asked.error);
  const run = await finance.GET('/api/v1/settlement/runs/{id}', { params: { path: { id: asked.data.id } } });
  if (!run.data) fail('run status', run.error);
  const finishedAt: string | null = run.data.finishedAt;
  const lines: number | undefined = run.data.settled?.redemptionLines;
  void [finishedAt, lines];

  const batches = await finance.GET('/api/v1/settlement/payout-batches', {
    params: { query: { from: '2026-11-01', to: '2026-11-30', status: 'pending', limit: 20 } },
  });
  if (!batches.data) fail('payout batches', batches.error);
  return batches.data.items.reduce((sum, batch) => sum + batch.totalFen, 0);
}
