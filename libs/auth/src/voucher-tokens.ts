import { createHmac, createSecretKey } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { AppConfig } from '@quan/config';
import { DomainError, ErrorCode } from '@quan/domain';
import { JWT_ALGORITHM } from './token.service';

/** What a voucher's QR code carries: the voucher and its holder, signed, for a minute at most. */
export interface VoucherTokenClaims {
  voucherId: string;
  residentId: string;
  expiresAt: Date;
}

const AUDIENCE = 'quan:voucher-qr';

/**
 * Signs and checks the tokens shown as QR codes at the till (HS256 JWTs with a key of their own, derived
 * from JWT_SECRET, so an access token can never pass as a voucher token or the other way round). They
 * live QR_TOKEN_TTL_S seconds (at most 60): the resident's page refreshes them, a screenshot goes stale.
 */
@Injectable()
export class VoucherTokens {
  private readonly jwt: JwtService;

  constructor(private readonly config: AppConfig) {
    const key = createHmac('sha256', config.JWT_SECRET).update(AUDIENCE).digest();
    this.jwt = new JwtService({
      secret: createSecretKey(key),
      signOptions: { algorithm: JWT_ALGORITHM, audience: AUDIENCE },
    });
  }

  issue(voucherId: string, residentId: string): { token: string; expiresAt: Date } {
    const expiresInS = this.config.QR_TOKEN_TTL_S;
    const token = this.jwt.sign({ v: voucherId, r: residentId }, { expiresIn: expiresInS });
    const { exp } = this.jwt.decode<{ exp: number }>(token);
    return { token, expiresAt: new Date(exp * 1000) };
  }

  /**
   * The voucher and holder a token names. A forged or garbled token is TOKEN_INVALID; an expired one is
   * still read (a retried redemption must get its first answer) and `expiresAt` tells the caller.
   */
  read(token: string): VoucherTokenClaims {
    try {
      const claims = this.jwt.verify<{ v: string; r: string; exp: number }>(token, {
        audience: AUDIENCE,
        algorithms: [JWT_ALGORITHM],
        ignoreExpiration: true,
      });
      if (typeof claims.v !== 'string' || typeof claims.r !== 'string' || typeof claims.exp !== 'number')
        throw new Error('incomplete');
      return { voucherId: claims.v, residentId: claims.r, expiresAt: new Date(claims.exp * 1000) };
    } catch {
      throw new DomainError(ErrorCode.TokenInvalid, 'The QR code is not a valid Quan voucher code');
    }
  }
}
