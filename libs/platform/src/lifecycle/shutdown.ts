import { AppConfig } from '@quan/config';

interface ShutdownLogger {
  info(details: object, message: string): void;
  error(details: object, message: string): void;
}

/**
 * Nest drains on SIGTERM/SIGINT (enableShutdownHooks); this bounds how long that may take, so a
 * stuck request or job cannot keep a terminating pod alive past SHUTDOWN_GRACE_MS.
 */
export function armShutdownDeadline(config: AppConfig, logger: ShutdownLogger): void {
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      logger.info({ signal, graceMs: config.SHUTDOWN_GRACE_MS }, 'shutting down: draining in-flight work');
      setTimeout(() => {
        logger.error({ graceMs: config.SHUTDOWN_GRACE_MS }, 'shutdown grace period exceeded; exiting');
        process.exit(1);
      }, config.SHUTDOWN_GRACE_MS).unref();
    });
  }
}
