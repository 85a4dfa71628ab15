import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppConfig } from '@quan/config';
import { createHttpApp } from '@quan/platform';

/** Boots the real HTTP application (same wiring as production) for `app.inject()` requests. */
export async function createTestApp(rootModule: unknown, config: AppConfig): Promise<NestFastifyApplication> {
  const app = await createHttpApp(rootModule, config);
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  return app;
}
