import { Module } from '@nestjs/common';
import { ClaimWriter } from './claim-writer';
import { ClaimsController } from './claims.controller';
import { ClaimsService } from './claims.service';
import { RoundCatalog } from './round-catalog';
import { WalletQueries } from './wallet-queries';

@Module({
  controllers: [ClaimsController],
  providers: [ClaimsService, WalletQueries, ClaimWriter, RoundCatalog],
})
export class ClaimsModule {}
