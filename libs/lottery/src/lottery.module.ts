import { Module } from '@nestjs/common';
import { LotteryDraws } from './lottery-draws';
import { LotteryRounds } from './lottery-rounds';
import { LotteryController } from './lottery.controller';
import { LotteryService } from './lottery.service';
import { PublishedDraws } from './published-draws';
import { RegistrationWriter } from './registration-writer';

/** Lottery rounds in the api: registration, the resident's outcome, the published draw. */
@Module({
  controllers: [LotteryController],
  providers: [LotteryService, LotteryRounds, PublishedDraws, RegistrationWriter],
})
export class LotteryModule {}

/** Lottery rounds in the worker: commitments and draws. */
@Module({
  providers: [LotteryRounds, LotteryDraws],
  exports: [LotteryDraws],
})
export class LotteryWorkerModule {}
