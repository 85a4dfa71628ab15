import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppConfig } from '@quan/config';
import { createHttpApp, serveWebApps } from '@quan/platform';

export interface TestAppOptions {
  /** Serve the built web apps from this folder, as the api's main does from dist/web. */
  webRoot?: string;
}

/** Boots the real HTTP application (same wiring as production) for `app.inject()` requests. */
export async function createTestApp(
  rootModule: unknown,
  config: AppConfig,
  options: TestAppOptions = {},
): Promise<NestFastifyApplication> {
  const app = await createHttpApp(rootModule, config);
  if (options.webRoot !== undefined) await serveWebApps(app, options.webRoot);
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  return app;
}
