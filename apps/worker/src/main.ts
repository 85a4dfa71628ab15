import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { loadConfigOrExit } from '@quan/config';
import { closeOnSignals, createLogger, PinoNestLogger, startTracing } from '@quan/platform';
import { WorkerModule } from './worker.module';

async function bootstrap(): Promise<void> {
  const config = loadConfigOrExit();
  startTracing(config, 'worker');
  const logger = createLogger(config, 'worker');
  // The health listener answers while the other start-up hooks (schedulers, queue workers) still run, so
  // the signal listeners go in before start-up begins.
  const app = NestFactory.createApplicationContext(WorkerModule.register(config), {
    logger: new PinoNestLogger(logger),
  });
  closeOnSignals(app, config, logger);
  await app;
  logger.info({ port: config.WORKER_PORT }, 'worker running');
}

bootstrap().catch((error: unknown) => {
  process.stderr.write(`worker failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
