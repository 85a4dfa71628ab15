import { createHash, createSecretKey, KeyObject, randomBytes, randomUUID } from 'node:crypto';
import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { LRUCache } from 'lru-cache';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, IsNull, Repository } from 'typeorm';
import { AppConfig } from '@quan/config';
import { GroupCommit, RefreshToken, StaffRole, SubjectKind } from '@quan/data';
import { DomainError, ErrorCode } from '@quan/domain';
import { groupCommitObserver, isInfrastructureUnavailable, Metrics } from '@quan/platform';
import { Principal, ResidentPrincipal } from './principal';

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  /** Seconds until the access token expires. */
  expiresIn: number;
}

export interface AccessClaims {
  sub: string;
  knd: SubjectKind;
  idn?: string | null;
  rol?: StaffRole;
  cty?: string | null;
  mch?: string | null;
  /** RFC 8693's actor claim: the community agent an acting-for resident token was issued to. */
  act?: { sub: string };
}

/** What an access token says about its principal (short claim names keep tokens small). */
export function accessClaimsOf(principal: Principal): AccessClaims {
  return principal.kind === SubjectKind.Resident
    ? {
        sub: principal.id,
        knd: principal.kind,
        idn: principal.identityId,
        ...(principal.actorId ? { act: { sub: principal.actorId } } : {}),
      }
    : {
        sub: principal.id,
        knd: principal.kind,
        rol: principal.role,
        cty: principal.countyCode,
        mch: principal.merchantId,
      };
}

/**
 * The HS256 key as a KeyObject: given a string, jsonwebtoken builds a key object on every sign and
 * verify, a cost on every request that a prepared key avoids (docs/benchmarks.md).
 */
export function jwtSigningKey(secret: string): KeyObject {
  return createSecretKey(Buffer.from(secret, 'utf8'));
}

/** The one algorithm Quan signs and accepts, for access tokens and (with a key of their own) voucher QR tokens. */
export const JWT_ALGORITHM = 'HS256' as const;

/** What clients of the refresh endpoints must know about rotation (their OpenAPI description). */
export const REFRESH_ROTATION =
  'Each refresh token works once. Presenting one already exchanged ends its whole session: the refresh token issued in its place stops working too (401 UNAUTHENTICATED), and the user logs in again.';

const sha256 = (token: string) => createHash('sha256').update(token).digest('hex');

/** How many verified access tokens a process remembers: bounds the cache's memory. */
const VERIFIED_TOKENS_MAX = 20_000;

/** A refresh token not yet stored: the token handed out, and its row's id (also its family's, for a new session) and hash. */
export interface NewRefreshToken {
  refreshToken: string;
  id: string;
  tokenHash: string;
  expiresAt: Date;
}

interface StoredRefreshToken extends Omit<NewRefreshToken, 'refreshToken'> {
  familyId: string;
  subjectKind: SubjectKind;
  subjectId: string;
}

interface VerifiedToken {
  principal: Principal;
  /** The token's exp in milliseconds: past it the token is verified again (and refused). */
  expiresAtMs: number;
}

/**
 * Short-lived signed access tokens (HS256) carrying the principal, and opaque refresh tokens stored
 * hashed in Postgres, rotated on every use and revocable.
 */
@Injectable()
export class TokenService implements OnApplicationShutdown {
  /**
   * Access tokens already verified, least recently used first. A resident's polling, claim and retries
   * carry the same token; its signature and claims cannot change, and the guard checks nothing else,
   * so until its exp a remembered token stands for its verification.
   */
  private readonly verified = new LRUCache<string, VerifiedToken>({ max: VERIFIED_TOKENS_MAX });
  private readonly logger = new Logger(TokenService.name);
  /** New sessions' first refresh tokens, stored in groups: one statement and one commit for the logins of a moment. */
  private readonly sessions: GroupCommit<StoredRefreshToken>;

  constructor(
    private readonly jwt: JwtService,
    private readonly config: AppConfig,
    @InjectRepository(RefreshToken) private readonly refreshTokens: Repository<RefreshToken>,
    metrics: Metrics,
  ) {
    this.sessions = new GroupCommit((rows) => this.store(rows), config, {
      failsEveryItem: isInfrastructureUnavailable,
      refusals: {},
      observe: groupCommitObserver(metrics, 'sessions'),
    });
  }

  /** A refresh token to be stored by the caller (with the row of a new account, say), as the first of a new family. */
  newRefreshToken(): NewRefreshToken {
    const refreshToken = randomBytes(32).toString('base64url');
    return {
      refreshToken,
      id: randomUUID(),
      tokenHash: sha256(refreshToken),
      expiresAt: new Date(Date.now() + this.config.REFRESH_TOKEN_TTL_S * 1000),
    };
  }

  /** The pair handed out once `refresh` is stored for `principal`. */
  pairOf(principal: Principal, refresh: NewRefreshToken): TokenPair {
    const accessToken = this.jwt.sign(accessClaimsOf(principal), { expiresIn: this.config.ACCESS_TOKEN_TTL_S });
    return { accessToken, refreshToken: refresh.refreshToken, expiresIn: this.config.ACCESS_TOKEN_TTL_S };
  }

  /**
   * An acting-for access token: the resident's own claims (so every resident endpoint serves it on the
   * resident's identity and limits) with the agent as `act`. No refresh token: the agent asks for another.
   */
  actingFor(resident: ResidentPrincipal & { actorId: string }): { accessToken: string; expiresIn: number } {
    return {
      accessToken: this.jwt.sign(accessClaimsOf(resident), { expiresIn: this.config.ACCESS_TOKEN_TTL_S }),
      expiresIn: this.config.ACCESS_TOKEN_TTL_S,
    };
  }

  /** A new session: an access token and the first refresh token of a new family, answered once it is committed. */
  async issue(principal: Principal): Promise<TokenPair> {
    const refresh = this.newRefreshToken();
    await this.sessions.write({ ...this.rowOf(refresh, principal), familyId: refresh.id });
    return this.pairOf(principal, refresh);
  }

  private rowOf(
    { id, tokenHash, expiresAt }: NewRefreshToken,
    principal: Principal,
  ): Omit<StoredRefreshToken, 'familyId'> {
    return { id, tokenHash, expiresAt, subjectKind: principal.kind, subjectId: principal.id };
  }

  private async store(rows: StoredRefreshToken[]): Promise<void> {
    await this.refreshTokens.query(
      `INSERT INTO refresh_tokens (id, family_id, token_hash, subject_kind, subject_id, expires_at)
       SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::char(64)[], $4::subject_kind[], $5::uuid[], $6::timestamptz[])`,
      [
        rows.map((r) => r.id),
        rows.map((r) => r.familyId),
        rows.map((r) => r.tokenHash),
        rows.map((r) => r.subjectKind),
        rows.map((r) => r.subjectId),
        rows.map((r) => r.expiresAt),
      ],
    );
  }

  /** The next token of a family, stored inside the rotation's transaction. */
  private async issueIn(manager: EntityManager, principal: Principal, familyId: string): Promise<TokenPair> {
    const refresh = this.newRefreshToken();
    await manager.insert(RefreshToken, { ...this.rowOf(refresh, principal), familyId });
    return this.pairOf(principal, refresh);
  }

  /** Shutdown: sessions already being stored are committed (and answered) before connections close. */
  onApplicationShutdown(): Promise<void> {
    return this.sessions.drained();
  }

  /**
   * The principal of a valid access token. Only HS256 is accepted, whatever the token's header says
   * (no `none`, no RS256 "verified" with the HMAC key as a public key), and only a token of ours carries
   * an exp and a kind. Only tokens that passed all of that enter the cache, keyed by the whole token, so
   * a changed header or signature is a different key and is verified from scratch.
   */
  verifyAccessToken(token: string): Principal {
    const known = this.verified.get(token);
    if (known && Date.now() < known.expiresAtMs) return known.principal;
    let claims: AccessClaims & { exp: number };
    try {
      claims = this.jwt.verify<AccessClaims & { exp: number }>(token, { algorithms: [JWT_ALGORITHM] });
    } catch {
      throw new DomainError(ErrorCode.Unauthenticated, 'The access token is invalid or expired');
    }
    if (
      typeof claims.exp !== 'number' ||
      typeof claims.sub !== 'string' ||
      !Object.values(SubjectKind).includes(claims.knd)
    ) {
      throw new DomainError(ErrorCode.Unauthenticated, 'The access token is invalid or expired');
    }
    const principal: Principal =
      claims.knd === SubjectKind.Resident
        ? {
            kind: SubjectKind.Resident,
            id: claims.sub,
            identityId: claims.idn ?? null,
            ...(typeof claims.act?.sub === 'string' ? { actorId: claims.act.sub } : {}),
          }
        : {
            kind: SubjectKind.Staff,
            id: claims.sub,
            role: claims.rol!,
            countyCode: claims.cty ?? null,
            merchantId: claims.mch ?? null,
          };
    this.verified.set(token, { principal, expiresAtMs: claims.exp * 1000 });
    return principal;
  }

  /**
   * Spends a refresh token (one use only) and issues the next pair of its family for its subject, as
   * `load` reloads it (refusing one that may no longer log in); answers the pair and the subject. A token already spent, revoked or expired is refused, and when it is known, its whole
   * family is revoked: a rotated token presented again means two holders (one of them a thief), and
   * which one is the owner cannot be told, so the session ends for both. Spending and issuing share a
   * transaction: a racing reuse waits on the spent row's lock, so it also revokes the pair issued here.
   * `load` reads through the transaction's manager.
   */
  async rotate<S>(
    refreshToken: string,
    kind: SubjectKind,
    load: (subjectId: string, manager: EntityManager) => Promise<S>,
    principalOf: (subject: S) => Principal,
  ): Promise<[TokenPair, S]> {
    const tokenHash = sha256(refreshToken);
    const pair = await this.refreshTokens.manager.transaction(async (manager) => {
      const spent = await manager
        .createQueryBuilder()
        .update(RefreshToken)
        .set({ revokedAt: () => 'now()' })
        .where('token_hash = :tokenHash AND subject_kind = :kind AND revoked_at IS NULL AND expires_at > now()', {
          tokenHash,
          kind,
        })
        .returning(['subjectId', 'familyId'])
        .execute();
      const row = (spent.raw as { subject_id: string; family_id: string }[])[0];
      if (!row) return undefined;
      // On the transaction's connection: a second one taken while this one is held would let concurrent
      // rotations take the whole pool and wait on each other until the connect timeout.
      const subject = await load(row.subject_id, manager);
      return [await this.issueIn(manager, principalOf(subject), row.family_id), subject] as [TokenPair, S];
    });
    if (pair) return pair;
    const revoked = (await this.refreshTokens.query(
      `UPDATE refresh_tokens SET revoked_at = now()
       WHERE family_id = (SELECT family_id FROM refresh_tokens WHERE token_hash = $1 AND subject_kind = $2) AND revoked_at IS NULL`,
      [tokenHash, kind],
    )) as [unknown[], number];
    if (revoked[1] > 0)
      this.logger.warn(
        { subjectKind: kind, revokedTokens: revoked[1] },
        'a spent refresh token was presented again: its session is revoked',
      );
    throw new DomainError(ErrorCode.Unauthenticated, 'The refresh token is invalid, expired or already used');
  }

  /** Logout: the refresh token can no longer be used (its access token lapses within ACCESS_TOKEN_TTL_S). */
  async revoke(refreshToken: string): Promise<void> {
    await this.refreshTokens.update(
      { tokenHash: sha256(refreshToken), revokedAt: IsNull() },
      { revokedAt: new Date() },
    );
  }
}
