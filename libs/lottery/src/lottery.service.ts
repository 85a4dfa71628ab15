import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ResidentPrincipal } from '@quan/auth';
import { AppConfig } from '@quan/config';
import { commitDecided, RegistrationCounters, RegistrationPlace } from '@quan/counters';
import { commitOutcomeUnknown, RoundMode } from '@quan/data';
import { DomainError, ErrorCode, lotteryEntry, newEntrySalt, timeOrderedUuid } from '@quan/domain';
import { LotteryRound, LotteryRounds } from './lottery-rounds';
import { RegistrationReceiptDto } from './lottery.dto';
import { PublishedDraws } from './published-draws';
import { NewRegistration, RegistrationRefused, RegistrationWriter } from './registration-writer';

/** What Redis keeps of a registration: enough to answer a repeat without Postgres. */
interface StoredReceipt {
  id: string;
  salt: string;
  /** registeredAt, ms. */
  at: number;
  /** 1 once Postgres committed it. */
  c: 0 | 1;
}

function keyReused(): never {
  throw new DomainError(ErrorCode.IdempotencyKeyReused, 'This Idempotency-Key was used for another registration');
}

function stillInProgress(): never {
  throw new DomainError(
    ErrorCode.RequestInProgress,
    'The first registration of this identity is still being processed; retry shortly',
  );
}

interface RegistrationRow {
  id: string;
  salt: string;
  registered_at: Date;
  round_id: string;
}

/**
 * Registration for lottery rounds (摇号): Redis decides once per identity and round (RegistrationCounters),
 * Postgres makes it durable in groups (RegistrationWriter), and only then is the resident answered with
 * the receipt. A repeat is answered from Redis with the first receipt.
 */
@Injectable()
export class LotteryService {
  private readonly pendingMs: number;

  constructor(
    private readonly rounds: LotteryRounds,
    private readonly writer: RegistrationWriter,
    private readonly counters: RegistrationCounters,
    private readonly published: PublishedDraws,
    private readonly dataSource: DataSource,
    config: AppConfig,
  ) {
    this.pendingMs = config.CLAIM_UNCOMMITTED_AFTER_MS;
  }

  async register(
    resident: ResidentPrincipal,
    roundId: string,
    key: string | undefined,
  ): Promise<RegistrationReceiptDto> {
    const identityId = resident.identityId;
    if (!identityId)
      throw new DomainError(
        ErrorCode.IdentityRequired,
        'This access token carries no verified identity: verify your identity (POST /api/v1/me/identity) and use the access token it returned',
      );
    const round = await this.lotteryRound(roundId, (r) => r.live);
    const now = new Date();
    if (now < round.opensAt || now >= round.closesAt) {
      // A retry after the window still gets its receipt.
      const existing = await this.registrationOf(round.id, identityId);
      if (existing) return this.receipt(round, identityId, existing);
      if (now < round.opensAt) {
        const opensAt = round.opensAt.toISOString();
        throw new DomainError(ErrorCode.RoundNotOpen, `Registration opens at ${opensAt}`, { opensAt });
      }
      const closesAt = round.closesAt.toISOString();
      throw new DomainError(ErrorCode.RoundClosed, `Registration closed at ${closesAt}`, { closesAt });
    }
    // The commitment exists before the first registration is recorded.
    await this.rounds.commitment(round);
    const place: RegistrationPlace = {
      campaignId: round.campaignId,
      roundId: round.id,
      identityId,
      residentId: resident.id,
      idempotencyKey: key,
    };
    const fresh: StoredReceipt = { id: timeOrderedUuid(), salt: newEntrySalt(), at: now.getTime(), c: 0 };
    let decision = await this.counters.decide(place, JSON.stringify(fresh));
    if (decision.status === 'DUPLICATE') {
      const stored = JSON.parse(decision.receipt) as StoredReceipt;
      const row = stored.c ? undefined : await this.registrationOf(round.id, identityId);
      if (stored.c || row) {
        if (row) this.counters.record(place, JSON.stringify({ ...stored, c: 1 }));
        return this.receipt(
          round,
          identityId,
          { id: stored.id, salt: stored.salt, registered_at: new Date(stored.at) },
          true,
        );
      }
      // Recorded by a request whose commit may still come: wait for it; long past that, it never came.
      if (now.getTime() - stored.at < this.pendingMs) stillInProgress();
      decision = await this.counters.decide(place, JSON.stringify(fresh), decision.receipt);
      if (decision.status === 'DUPLICATE') stillInProgress();
    }
    if (decision.status === 'KEY_REUSED') keyReused();
    return this.commit(round, place, fresh);
  }

  private async commit(
    round: LotteryRound,
    place: RegistrationPlace,
    fresh: StoredReceipt,
  ): Promise<RegistrationReceiptDto> {
    const registration: NewRegistration = {
      id: fresh.id,
      roundId: round.id,
      campaignId: round.campaignId,
      residentId: place.residentId,
      identityId: place.identityId,
      salt: fresh.salt,
      entry: lotteryEntry(round.id, fresh.salt, place.identityId),
      idempotencyKey: place.idempotencyKey ?? null,
      registeredAt: new Date(fresh.at),
    };
    const result = await commitDecided({
      commit: () => this.writer.write(registration),
      mayHaveCommitted: commitOutcomeUnknown,
      isCommitted: async () =>
        ((await this.dataSource.query(`SELECT 1 FROM lottery_registrations WHERE id = $1`, [fresh.id])) as unknown[])
          .length > 0,
    });
    if (result.outcome === 'committed') {
      this.counters.record(place, JSON.stringify({ ...fresh, c: 1 }));
      return this.receipt(
        round,
        place.identityId,
        { id: fresh.id, salt: fresh.salt, registered_at: registration.registeredAt },
        true,
      );
    }
    // Not committed, or not known to be: the receipt stays pending in Redis until its commit can no longer
    // come (then a retry replaces it). Refused by Postgres: Redis had lost the first registration.
    if (result.outcome !== 'failed') throw result.error;
    await this.counters.forget(place, JSON.stringify(fresh)).catch(() => undefined);
    const { error } = result;
    if (!(error instanceof RegistrationRefused)) throw error;
    if (error.reason === 'identity') {
      const existing = (await this.registrationOf(round.id, place.identityId))!;
      this.counters.record(
        place,
        JSON.stringify({ id: existing.id, salt: existing.salt, at: existing.registered_at.getTime(), c: 1 }),
      );
      return this.receipt(round, place.identityId, existing, true);
    }
    const [withKey] = (await this.dataSource.query(
      `SELECT id, salt, registered_at, round_id FROM lottery_registrations WHERE resident_id = $1 AND idempotency_key = $2`,
      [place.residentId, place.idempotencyKey],
    )) as RegistrationRow[];
    if (!withKey || withKey.round_id !== round.id) keyReused();
    return this.receipt(round, place.identityId, withKey, true);
  }

  /** The resident's own registration for a round, with its outcome once drawn. */
  async mine(resident: ResidentPrincipal, roundId: string): Promise<RegistrationReceiptDto> {
    const round = await this.lotteryRound(roundId, (r) => r.visible);
    const row = resident.identityId ? await this.registrationOf(round.id, resident.identityId) : undefined;
    if (!row) throw new DomainError(ErrorCode.RegistrationNotFound, 'You have not registered for this round');
    return this.receipt(round, resident.identityId!, row);
  }

  private async lotteryRound(roundId: string, allowed: (round: LotteryRound) => boolean): Promise<LotteryRound> {
    const round = await this.rounds.get(roundId);
    if (!round || !allowed(round)) throw new DomainError(ErrorCode.RoundNotFound, `No published round ${roundId}`);
    if (round.mode !== RoundMode.Lottery)
      throw new DomainError(
        ErrorCode.RoundNotLottery,
        `Round ${roundId} is first come, first served: claim with POST /api/v1/rounds/${roundId}/claims`,
      );
    return round;
  }

  private async registrationOf(roundId: string, identityId: string): Promise<RegistrationRow | undefined> {
    const [row] = (await this.dataSource.query(
      `SELECT id, salt, registered_at, round_id FROM lottery_registrations WHERE round_id = $1 AND identity_id = $2`,
      [roundId, identityId],
    )) as RegistrationRow[];
    return row;
  }

  private async receipt(
    round: LotteryRound,
    identityId: string,
    registration: Pick<RegistrationRow, 'id' | 'salt' | 'registered_at'>,
    inWindow = false,
  ): Promise<RegistrationReceiptDto> {
    const entry = lotteryEntry(round.id, registration.salt, identityId);
    const outcome = await this.published.outcomeOf(round, entry, registration.id, inWindow);
    return {
      registrationId: registration.id,
      roundId: round.id,
      entry,
      salt: registration.salt,
      identityRef: identityId,
      registeredAt: registration.registered_at.toISOString(),
      commitment: await this.rounds.commitment(round),
      drawAt: round.drawAt!.toISOString(),
      ...outcome,
    };
  }
}
