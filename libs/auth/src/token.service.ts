import { createHash, createSecretKey, KeyObject, randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { LRUCache } from 'lru-cache';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, Repository } from 'typeorm';
import { AppConfig } from '@quan/config';
import { RefreshToken, StaffRole, SubjectKind } from '@quan/data';
import { DomainError, ErrorCode } from '@quan/domain';
import { Principal } from './principal';

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
}

/** What an access token says about its principal (short claim names keep tokens small). */
export function accessClaimsOf(principal: Principal): AccessClaims {
  return principal.kind === SubjectKind.Resident
    ? { sub: principal.id, knd: principal.kind, idn: principal.identityId }
    : { sub: principal.id, knd: principal.kind, rol: principal.role, cty: principal.countyCode, mch: principal.merchantId };
}

/**
 * The HS256 key as a KeyObject: given a string, jsonwebtoken builds a key object on every sign and
 * verify, which costs about 0.75 ms of CPU per request; a prepared key costs about 0.03 ms.
 */
export function jwtSigningKey(secret: string): KeyObject {
  return createSecretKey(Buffer.from(secret, 'utf8'));
}

const sha256 = (token: string) => createHash('sha256').update(token).digest('hex');

/** How many verified access tokens a process remembers (about 0.5 KB each). */
const VERIFIED_TOKENS_MAX = 20_000;

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
export class TokenService {
  /**
   * Access tokens already verified, least recently used first. A resident's polling, claim and retries
   * carry the same token; its signature and claims cannot change, and the guard checks nothing else,
   * so until its exp a remembered token stands for its verification.
   */
  private readonly verified = new LRUCache<string, VerifiedToken>({ max: VERIFIED_TOKENS_MAX });

  constructor(
    private readonly jwt: JwtService,
    private readonly config: AppConfig,
    @InjectRepository(RefreshToken) private readonly refreshTokens: Repository<RefreshToken>,
  ) {}

  async issue(principal: Principal): Promise<TokenPair> {
    const accessToken = this.jwt.sign(accessClaimsOf(principal), { expiresIn: this.config.ACCESS_TOKEN_TTL_S });
    const refreshToken = randomBytes(32).toString('base64url');
    await this.refreshTokens.insert({
      tokenHash: sha256(refreshToken),
      subjectKind: principal.kind,
      subjectId: principal.id,
      expiresAt: new Date(Date.now() + this.config.REFRESH_TOKEN_TTL_S * 1000),
    });
    return { accessToken, refreshToken, expiresIn: this.config.ACCESS_TOKEN_TTL_S };
  }

  verifyAccessToken(token: string): Principal {
    const known = this.verified.get(token);
    if (known && Date.now() < known.expiresAtMs) return known.principal;
    let claims: AccessClaims & { exp: number };
    try {
      claims = this.jwt.verify<AccessClaims & { exp: number }>(token);
    } catch {
      throw new DomainError(ErrorCode.Unauthenticated, 'The access token is invalid or expired');
    }
    const principal: Principal = claims.knd === SubjectKind.Resident
      ? { kind: SubjectKind.Resident, id: claims.sub, identityId: claims.idn ?? null }
      : { kind: SubjectKind.Staff, id: claims.sub, role: claims.rol!, countyCode: claims.cty ?? null, merchantId: claims.mch ?? null };
    this.verified.set(token, { principal, expiresAtMs: claims.exp * 1000 });
    return principal;
  }

  /**
   * Spends a refresh token (one use only) and says whose it was; the caller reloads that subject,
   * checks it may still log in, and issues a new pair.
   */
  async redeemRefreshToken(refreshToken: string, kind: SubjectKind): Promise<string> {
    const spent = await this.refreshTokens
      .createQueryBuilder()
      .update()
      .set({ revokedAt: () => 'now()' })
      .where('token_hash = :hash AND subject_kind = :kind AND revoked_at IS NULL AND expires_at > now()', { hash: sha256(refreshToken), kind })
      .returning(['subjectId'])
      .execute();
    const row = (spent.raw as { subject_id: string }[])[0];
    if (!row) throw new DomainError(ErrorCode.Unauthenticated, 'The refresh token is invalid, expired or already used');
    return row.subject_id;
  }

  /** Logout: the refresh token can no longer be used (its access token lapses within ACCESS_TOKEN_TTL_S). */
  async revoke(refreshToken: string): Promise<void> {
    await this.refreshTokens.update({ tokenHash: sha256(refreshToken), revokedAt: IsNull() }, { revokedAt: new Date() });
  }
}
