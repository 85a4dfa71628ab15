import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppConfig } from '@quan/config';
import { CONNECT_TIMEOUT_MS, GroupCommit, queryPrepared, STATEMENT_TIMEOUT_MS } from '@quan/data';
import { DomainError, ErrorCode } from '@quan/domain';
import { groupCommitObserver, isInfrastructureUnavailable, Metrics } from '@quan/platform';

export interface NewRegistration {
  id: string;
  roundId: string;
  campaignId: string;
  residentId: string;
  identityId: string;
  salt: string;
  entry: string;
  idempotencyKey: string | null;
  registeredAt: Date;
}

/** Why Postgres refused a registration. */
export type RegistrationRefusal = 'identity' | 'idempotency_key';

export class RegistrationRefused extends Error {
  constructor(readonly reason: RegistrationRefusal) {
    super(`registration refused by Postgres: ${reason}`);
  }
}

/** As for claims (ClaimWriter): a registration not sent this long before its deadline is refused instead. */
const COMMIT_TIME_MS = CONNECT_TIMEOUT_MS + STATEMENT_TIMEOUT_MS + 3000;

/**
 * Registrations decided in Redis are committed in groups (GroupCommit), as claims are: a registration is
 * answered only after its batch's statement committed. One INSERT per batch; the unique keys on
 * (round, identity) and (resident, key) refuse what Redis lost track of.
 */
@Injectable()
export class RegistrationWriter implements OnApplicationShutdown {
  private readonly group: GroupCommit<NewRegistration>;

  constructor(
    private readonly dataSource: DataSource,
    config: AppConfig,
    metrics: Metrics,
  ) {
    const deadlineMs = config.CLAIM_UNCOMMITTED_AFTER_MS - COMMIT_TIME_MS;
    this.group = new GroupCommit((registrations) => this.commit(registrations), config, {
      failsEveryItem: isInfrastructureUnavailable,
      refusals: {
        uq_lottery_registrations_identity: () => new RegistrationRefused('identity'),
        uq_lottery_registrations_idempotency: () => new RegistrationRefused('idempotency_key'),
      },
      observe: groupCommitObserver(metrics, 'registrations'),
      tooLate: (registration) =>
        Date.now() - registration.registeredAt.getTime() > deadlineMs
          ? new DomainError(ErrorCode.Unavailable, 'Registrations are committing too slowly; retry shortly')
          : undefined,
    });
  }

  write(registration: NewRegistration): Promise<void> {
    return this.group.write(registration);
  }

  private async commit(registrations: NewRegistration[]): Promise<void> {
    await queryPrepared(
      this.dataSource,
      'registration-commit',
      `INSERT INTO lottery_registrations (id, round_id, campaign_id, resident_id, identity_id, salt, entry, idempotency_key, registered_at)
       SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::uuid[], $5::uuid[], $6::text[], $7::text[], $8::text[], $9::timestamptz[])`,
      [
        registrations.map((r) => r.id),
        registrations.map((r) => r.roundId),
        registrations.map((r) => r.campaignId),
        registrations.map((r) => r.residentId),
        registrations.map((r) => r.identityId),
        registrations.map((r) => r.salt),
        registrations.map((r) => r.entry),
        registrations.map((r) => r.idempotencyKey),
        registrations.map((r) => r.registeredAt),
      ],
    );
  }

  /** Shutdown: registrations already decided are committed (and answered) before connections close. */
  onApplicationShutdown(): Promise<void> {
    return this.group.drained();
  }
}
