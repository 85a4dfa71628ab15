import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig } from '@quan/config';
import { RefreshToken } from '@quan/data';
import { AuthGuard } from './auth.guard';
import { JWT_ALGORITHM, jwtSigningKey, TokenService } from './token.service';
import { VoucherTokens } from './voucher-tokens';

/** Tokens (access, refresh, voucher QR) and the global deny-by-default guard. */
@Global()
@Module({
  imports: [
    JwtModule.registerAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        secret: jwtSigningKey(config.JWT_SECRET),
        signOptions: { algorithm: JWT_ALGORITHM },
        verifyOptions: { algorithms: [JWT_ALGORITHM] },
      }),
    }),
    TypeOrmModule.forFeature([RefreshToken]),
  ],
  providers: [TokenService, VoucherTokens, AuthGuard, { provide: APP_GUARD, useExisting: AuthGuard }],
  exports: [TokenService, VoucherTokens, AuthGuard],
})
export class AuthModule {}
