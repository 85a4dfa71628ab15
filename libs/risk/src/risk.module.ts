import { Module } from '@nestjs/common';
import { RiskController } from './risk.controller';
import { RiskScorer } from './risk-scorer';
import { RiskService } from './risk.service';

/** The API side: flags, their maker-checker, merchant summaries and the rules. */
@Module({
  controllers: [RiskController],
  providers: [RiskService],
})
export class RiskModule {}

/** The worker side: folding events into the risk aggregates and scoring them. */
@Module({
  providers: [RiskScorer],
  exports: [RiskScorer],
})
export class RiskWorkerModule {}
