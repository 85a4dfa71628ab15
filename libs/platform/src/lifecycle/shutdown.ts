import { INestApplicationContext } from '@nestjs/common';
import { AppConfig } from '@quan/config';
import { stopTracing } from '../tracing/tracing';

interface ShutdownLogger {
  info(details: object, message: string): void;
  error(details: object, message: string): void;
}

/**
 * On SIGTERM or SIGINT: stop taking new work, let in-flight requests and jobs finish (Nest closes the
 * HTTP server, queue workers, then connections), export the last spans if tracing is on, exit 0. A shutdown that takes longer than
 * SHUTDOWN_GRACE_MS exits 1, so a stuck request or job cannot keep a terminating pod alive.
 *
 * `app` may still be starting: a signal that arrives during start-up is honoured once the application is
 * up (or ends the process when start-up outlasts the grace period). The listeners are installed once and
 * never swapped, because a signal that is pending while its listener is replaced is dropped by libuv.
 */
export function closeOnSignals(
  app: INestApplicationContext | Promise<INestApplicationContext>,
  config: AppConfig,
  logger: ShutdownLogger,
): void {
  let closing = false;
  const shutdown = (signal: NodeJS.Signals) => {
    if (closing) return;
    closing = true;
    logger.info({ signal, graceMs: config.SHUTDOWN_GRACE_MS }, 'shutting down: draining in-flight work');
    setTimeout(() => {
      logger.error({ graceMs: config.SHUTDOWN_GRACE_MS }, 'shutdown grace period exceeded; exiting');
      process.exit(1);
    }, config.SHUTDOWN_GRACE_MS).unref();
    Promise.resolve(app)
      .then((started) => started.close())
      .then(() => stopTracing())
      .then(
        () => {
          logger.info({ signal }, 'shutdown complete');
          process.exit(0);
        },
        (error: unknown) => {
          logger.error({ err: error }, 'shutdown failed');
          process.exit(1);
        },
      );
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
}
