import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { loadConfigOrExit } from '@quan/config';
import { closeOnSignals, createLogger, PinoNestLogger } from '@quan/platform';
import { WorkerModule } from './worker.module';

async function bootstrap(): Promise<void> {
  const config = loadConfigOrExit();
  const logger = createLogger(config, 'worker');
  // The health listener answers while the other start-up hooks (schedulers, queue workers) still run; a
  // SIGTERM in that window is held and honoured with a graceful shutdown once the context is up, or ends
  // the process if start-up does not finish within the shutdown grace period.
  const held: NodeJS.Signals[] = [];
  const hold = (signal: NodeJS.Signals) => {
    held.push(signal);
    setTimeout(() => process.exit(1), config.SHUTDOWN_GRACE_MS).unref();
  };
  process.on('SIGTERM', hold).on('SIGINT', hold);
  const app = await NestFactory.createApplicationContext(WorkerModule.register(config), { logger: new PinoNestLogger(logger) });
  process.off('SIGTERM', hold).off('SIGINT', hold);
  closeOnSignals(app, config, logger);
  if (held.length > 0) process.kill(process.pid, held[0]);
  logger.info({ port: config.WORKER_PORT }, 'worker running');
}

bootstrap().catch((error: unknown) => {
  process.stderr.write(`worker failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
