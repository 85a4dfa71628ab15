import { randomUUID } from 'node:crypto';
import { JwtService } from '@nestjs/jwt';
import { DataSource } from 'typeorm';
import { Dispatcher, fetch } from 'undici';
import { accessClaimsOf, jwtSigningKey } from '@quan/auth';
import { AppConfig } from '@quan/config';
import { CampaignStatus, SubjectKind } from '@quan/data';

export interface ClaimFixture {
  campaignId: string;
  roundId: string;
  offerId: string;
  /** A second open round of the same campaign, with an offer of the same pack. */
  second: { roundId: string; offerId: string };
  residents: { id: string; identityId: string; token: string }[];
}

export interface ClaimFixtureOptions {
  stock: number;
  residents: number;
  perPersonLimit?: number;
  perPersonRoundLimit?: number;
  perPersonDailyLimit?: number;
  perPersonCategoryLimits?: Record<string, number>;
  /** Round window relative to now, in milliseconds. */
  opensInMs?: number;
  closesInMs?: number;
}

/**
 * A published campaign with two open first-come rounds, each with one offer (a 2-voucher pack), plus verified
 * residents with access tokens, inserted directly (set-based) for claim tests and benchmarks.
 */
export async function createClaimFixture(
  dataSource: DataSource,
  config: AppConfig,
  options: ClaimFixtureOptions,
): Promise<ClaimFixture> {
  const now = Date.now();
  const [author, approver, campaignId, roundId, offerId, typeA, typeB, round2Id, offer2Id] = Array.from(
    { length: 9 },
    () => randomUUID(),
  );
  await dataSource.transaction(async (m) => {
    await m.query(
      `INSERT INTO staff_accounts (id, username, display_name, password_hash, role) VALUES
         ($1, $3, 'fixture author', 'x', 'city_admin'), ($2, $4, 'fixture approver', 'x', 'city_admin')`,
      [author, approver, `author-${author}`, `approver-${approver}`],
    );
    await m.query(
      `INSERT INTO campaigns (id, code, name, budget_fen, status, starts_at, ends_at, per_person_limit, per_person_round_limit,
                              per_person_daily_limit, per_person_category_limits, created_by_id, approved_by_id, version)
       VALUES ($1, $2, '测试消费券', 100000000, $3, $4, $5, $6, $7, $8, $9, $10, $11, 1)`,
      [
        campaignId,
        `T-${campaignId}`,
        CampaignStatus.Published,
        new Date(now - 86400000),
        new Date(now + 30 * 86400000),
        options.perPersonLimit ?? 1,
        options.perPersonRoundLimit ?? null,
        options.perPersonDailyLimit ?? null,
        JSON.stringify(options.perPersonCategoryLimits ?? {}),
        author,
        approver,
      ],
    );
    await m.query(
      `INSERT INTO voucher_types (id, campaign_id, name, kind, threshold_fen, discount_fen, validity_kind, valid_days) VALUES
         ($1, $3, '满50减10', 'threshold', 5000, 1000, 'days_from_claim', 7), ($2, $3, '直减5', 'fixed', 0, 500, 'days_from_claim', 7)`,
      [typeA, typeB, campaignId],
    );
    for (const [round, offer, name] of [
      [roundId, offerId, '测试场'],
      [round2Id, offer2Id, '测试二场'],
    ]) {
      await m.query(`INSERT INTO rounds (id, campaign_id, name, opens_at, closes_at) VALUES ($1, $2, $3, $4, $5)`, [
        round,
        campaignId,
        name,
        new Date(now + (options.opensInMs ?? -60000)),
        new Date(now + (options.closesInMs ?? 3600000)),
      ]);
      await m.query(`INSERT INTO round_offers (id, round_id, name, stock) VALUES ($1, $2, '测试券包', $3)`, [
        offer,
        round,
        options.stock,
      ]);
      await m.query(`INSERT INTO offer_items (offer_id, voucher_type_id, quantity) VALUES ($1, $2, 1), ($1, $3, 1)`, [
        offer,
        typeA,
        typeB,
      ]);
    }
  });

  const ids = Array.from({ length: options.residents }, () => [randomUUID(), randomUUID()] as const);
  for (let start = 0; start < ids.length; start += 10000) {
    const chunk = ids.slice(start, start + 10000);
    await dataSource.query(
      `INSERT INTO identities (id, id_number_hash, name_masked) SELECT id, md5(id::text) || md5(id::text || 'x'), '测*' FROM unnest($1::uuid[]) AS id`,
      [chunk.map(([, identity]) => identity)],
    );
    await dataSource.query(
      `INSERT INTO residents (id, phone_hash, phone_masked, identity_id)
       SELECT r, md5(r::text) || md5(r::text || 'p'), '138****0000', i FROM unnest($1::uuid[], $2::uuid[]) AS t(r, i)`,
      [chunk.map(([resident]) => resident), chunk.map(([, identity]) => identity)],
    );
  }
  const jwt = new JwtService({ secret: jwtSigningKey(config.JWT_SECRET), signOptions: { algorithm: 'HS256' } });
  const residents = ids.map(([id, identityId]) => ({
    id,
    identityId,
    token: jwt.sign(accessClaimsOf({ kind: SubjectKind.Resident, id, identityId }), { expiresIn: 3600 }),
  }));
  return { campaignId, roundId, offerId, second: { roundId: round2Id, offerId: offer2Id }, residents };
}

/** A claim's answer as the tests read it: the status and the parsed body (a claim or a problem). */
export interface ClaimAnswer {
  status: number;
  body: { code?: string; claimId?: string; claimedAt?: string; vouchers?: { id: string; shortCode: string }[] };
}

/**
 * A resident's claim on the fixture's round (its offer unless another is named), posted over HTTP to the
 * api at `apiBase` (ending in /api/v1), through `dispatcher` when the caller pools its connections.
 */
export async function postClaim(
  apiBase: string,
  fixture: Pick<ClaimFixture, 'roundId' | 'offerId'>,
  token: string,
  options: { offerId?: string; idempotencyKey?: string; dispatcher?: Dispatcher } = {},
): Promise<ClaimAnswer> {
  const response = await fetch(`${apiBase}/rounds/${fixture.roundId}/claims`, {
    dispatcher: options.dispatcher,
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${token}`,
      ...(options.idempotencyKey ? { 'idempotency-key': options.idempotencyKey } : {}),
    },
    body: JSON.stringify({ offerId: options.offerId ?? fixture.offerId }),
  });
  return { status: response.status, body: (await response.json()) as ClaimAnswer['body'] };
}
