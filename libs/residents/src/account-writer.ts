import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { NewRefreshToken } from '@quan/auth';
import { AppConfig } from '@quan/config';
import { GroupCommit, queryPrepared } from '@quan/data';
import { groupCommitObserver, isInfrastructureUnavailable, Metrics } from '@quan/platform';

/** Groups of logins, and of bindings, committing at the same time per api process. */
const ACCOUNT_GROUPS_AT_ONCE = 4;

/** A login to commit: the phone's account (created if new) and the session's first refresh token. */
interface Login {
  phoneHash: string;
  phoneMasked: string;
  refresh: NewRefreshToken;
  /** Set once committed. */
  account?: { id: string; identityId: string | null };
}

/** What bind_identity (migration IdentityBinding) concluded for an account and a person. */
export type BindingOutcome = 'bound' | 'already' | 'shared' | 'other' | 'missing';

interface Binding {
  residentId: string;
  idNumberHash: string;
  nameMasked: string;
  /** Set once committed. */
  result?: { identityId: string; otherPhones: number; outcome: BindingOutcome };
}

/**
 * The writes of logins and identity verifications, committed in groups as claims are (GroupCommit): the
 * logins of a moment are one statement and one commit, and so are their verifications, instead of a
 * statement, a transaction and a commit each. Each answer waits for its group's commit.
 */
@Injectable()
export class AccountWriter implements OnApplicationShutdown {
  private readonly logins: GroupCommit<Login>;
  private readonly bindings: GroupCommit<Binding>;

  constructor(
    private readonly dataSource: DataSource,
    config: AppConfig,
    metrics: Metrics,
  ) {
    const options = { failsEveryItem: isInfrastructureUnavailable, refusals: {} };
    // Unlike claims, these groups share no hot row, so several can commit at once.
    const groups = {
      GROUP_COMMIT_BATCH_MAX: config.GROUP_COMMIT_BATCH_MAX,
      GROUP_COMMIT_CONCURRENCY: Math.max(config.GROUP_COMMIT_CONCURRENCY, ACCOUNT_GROUPS_AT_ONCE),
    };
    this.logins = new GroupCommit((logins) => this.commitLogins(logins), groups, {
      ...options,
      observe: groupCommitObserver(metrics, 'logins'),
    });
    this.bindings = new GroupCommit((bindings) => this.commitBindings(bindings), groups, {
      ...options,
      observe: groupCommitObserver(metrics, 'identity_bindings'),
    });
  }

  /** The phone's account, created on its first login, once its session's refresh token is stored with it. */
  async login(
    phoneHash: string,
    phoneMasked: string,
    refresh: NewRefreshToken,
  ): Promise<{ id: string; identityId: string | null }> {
    const login: Login = { phoneHash, phoneMasked, refresh };
    await this.logins.write(login);
    return login.account!;
  }

  /** Binds the account to the person when it is the person's first phone (see bind_identity for the other outcomes). */
  async bind(residentId: string, idNumberHash: string, nameMasked: string): Promise<NonNullable<Binding['result']>> {
    const binding: Binding = { residentId, idNumberHash, nameMasked };
    await this.bindings.write(binding);
    return binding.result!;
  }

  /**
   * One statement: the accounts (an existing one is returned as it is; the DISTINCT lets two logins of one
   * phone share a group, in phone order so that two api processes lock accounts in the same order), then a
   * refresh token for each login.
   */
  private async commitLogins(logins: Login[]): Promise<void> {
    const rows = await queryPrepared<{ phone_hash: string; id: string; identity_id: string | null }>(
      this.dataSource,
      'login-commit',
      `WITH input AS (
         SELECT * FROM unnest($1::char(64)[], $2::text[], $3::uuid[], $4::char(64)[], $5::timestamptz[])
           AS i(phone_hash, phone_masked, token_id, token_hash, expires_at)
       ), accounts AS (
         INSERT INTO residents (phone_hash, phone_masked)
         SELECT DISTINCT ON (phone_hash) phone_hash, phone_masked FROM input ORDER BY phone_hash
         ON CONFLICT (phone_hash) DO UPDATE SET phone_masked = EXCLUDED.phone_masked
         RETURNING id, identity_id, phone_hash
       ), sessions AS (
         INSERT INTO refresh_tokens (id, family_id, token_hash, subject_kind, subject_id, expires_at)
         SELECT i.token_id, i.token_id, i.token_hash, 'resident', a.id, i.expires_at FROM input i JOIN accounts a USING (phone_hash)
       )
       SELECT phone_hash, id, identity_id FROM accounts`,
      [
        logins.map((l) => l.phoneHash),
        logins.map((l) => l.phoneMasked),
        logins.map((l) => l.refresh.id),
        logins.map((l) => l.refresh.tokenHash),
        logins.map((l) => l.refresh.expiresAt),
      ],
    );
    const accounts = new Map(rows.map((row) => [row.phone_hash, { id: row.id, identityId: row.identity_id }]));
    for (const login of logins) login.account = accounts.get(login.phoneHash);
  }

  /** One statement and one transaction for the group; each binding is ordered after the earlier ones by the rows they lock. */
  private async commitBindings(bindings: Binding[]): Promise<void> {
    const rows = await queryPrepared<{
      n: string;
      identity_id: string;
      other_phones: number | null;
      outcome: BindingOutcome;
    }>(
      this.dataSource,
      'identity-binding-commit',
      `SELECT i.n, b.identity_id, b.other_phones, b.outcome
         FROM unnest($1::uuid[], $2::text[], $3::text[]) WITH ORDINALITY AS i(resident_id, id_number_hash, name_masked, n),
              LATERAL bind_identity(i.resident_id, i.id_number_hash, i.name_masked) AS b`,
      [bindings.map((b) => b.residentId), bindings.map((b) => b.idNumberHash), bindings.map((b) => b.nameMasked)],
    );
    for (const row of rows) {
      bindings[Number(row.n) - 1].result = {
        identityId: row.identity_id,
        otherPhones: row.other_phones ?? 0,
        outcome: row.outcome,
      };
    }
  }

  /** Shutdown: logins and verifications already decided are committed (and answered) before connections close. */
  async onApplicationShutdown(): Promise<void> {
    await Promise.all([this.logins.drained(), this.bindings.drained()]);
  }
}
