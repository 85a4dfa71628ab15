import { Module } from '@nestjs/common';
import { ClaimActivity } from './claim-activity';
import { ClaimWriter } from './claim-writer';
import { ClaimsController } from './claims.controller';
import { ClaimsService } from './claims.service';
import { MonitorController } from './monitor.controller';
import { RoundCatalog } from './round-catalog';
import { RoundMonitor } from './round-monitor';
import { WalletQueries } from './wallet-queries';

@Module({
  controllers: [ClaimsController, MonitorController],
  providers: [ClaimsService, WalletQueries, ClaimWriter, RoundCatalog, ClaimActivity, RoundMonitor],
})
export class ClaimsModule {}
