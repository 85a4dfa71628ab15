import { Module } from '@nestjs/common';
import { QueueModule } from '@quan/data';
import { PayoutsService } from './payouts.service';
import { Reconciliation } from './reconciliation';
import { ReconciliationController, SettlementController } from './settlement.controller';
import { SettlementRun } from './settlement-run';
import { RunTracker, SettlementRuns } from './settlement-runs';
import { StatementsService } from './statements.service';

/** The API side: statements (maker-checker), payout batches, runs asked for by finance (queued for the worker), the latest reconciliation report. */
@Module({
  imports: [QueueModule],
  controllers: [SettlementController, ReconciliationController],
  providers: [StatementsService, PayoutsService, Reconciliation, SettlementRuns],
})
export class SettlementModule {}

/** The worker side: the daily run, reversal adjustments, the reconciliation and the tracking of runs asked for, without controllers. */
@Module({
  providers: [SettlementRun, Reconciliation, RunTracker],
  exports: [SettlementRun, Reconciliation, RunTracker],
})
export class SettlementWorkerModule {}
