import 'reflect-metadata';
import { join } from 'node:path';
import { loadConfigOrExit } from '@quan/config';
import { closeOnSignals, createHttpApp, serveWebApps, startTracing } from '@quan/platform';
import { AppModule } from './app.module';

async function bootstrap(): Promise<void> {
  const config = loadConfigOrExit();
  startTracing(config, 'api');
  const app = await createHttpApp(AppModule.register(config), config);
  // dist/apps/api/src → dist/web, where the web apps are built (here and in the image).
  await serveWebApps(app, join(__dirname, '..', '..', '..', 'web'));
  const logger = app.getHttpAdapter().getInstance().log;
  closeOnSignals(app, config, logger);
  await app.listen({ port: config.PORT, host: '0.0.0.0' });
  logger.info({ port: config.PORT }, 'api listening');
}

bootstrap().catch((error: unknown) => {
  process.stderr.write(`api failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
