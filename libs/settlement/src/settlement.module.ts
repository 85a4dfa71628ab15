import { Module } from '@nestjs/common';
import { PayoutsService } from './payouts.service';
import { Reconciliation } from './reconciliation';
import { ReconciliationController, SettlementController } from './settlement.controller';
import { SettlementRun } from './settlement-run';
import { StatementsService } from './statements.service';

/** The API side: statements (maker-checker), payout batches, the latest reconciliation report. */
@Module({
  controllers: [SettlementController, ReconciliationController],
  providers: [StatementsService, PayoutsService, Reconciliation],
})
export class SettlementModule {}

/** The worker side: the daily run, reversal adjustments and the reconciliation, without controllers. */
@Module({
  providers: [SettlementRun, Reconciliation],
  exports: [SettlementRun, Reconciliation],
})
export class SettlementWorkerModule {}
