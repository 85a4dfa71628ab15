import { Module } from '@nestjs/common';
import { ClaimWriter } from './claim-writer';
import { ClaimsController } from './claims.controller';
import { ClaimsService } from './claims.service';
import { RoundCatalog } from './round-catalog';

@Module({
  controllers: [ClaimsController],
  providers: [ClaimsService, ClaimWriter, RoundCatalog],
})
export class ClaimsModule {}
