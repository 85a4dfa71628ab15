import { NestFastifyApplication } from '@nestjs/platform-fastify';
import Redis from 'ioredis';
import { Agent } from 'undici';
import { DataSource } from 'typeorm';
import { AppConfig } from '@quan/config';
import { createDataSource } from '@quan/data';
import { createTestApp, createTestEnvironment, freePort, TestEnvironment } from '@quan/testing';
import { AppModule } from '../../src/app.module';

/** The real api listening on a port of its own (for tests that race real HTTP requests), with a look behind it. */
export interface ListeningApi {
  env: TestEnvironment;
  app: NestFastifyApplication;
  db: DataSource;
  redis: Redis;
  /** http://127.0.0.1:PORT/api/v1 */
  base: string;
  /** Keep-alive connections for all requests at once (more than 200 would overflow the listen backlog). */
  clients: Agent;
  close(): Promise<void>;
}

/** `appConfig` may give the api a configuration of its own (say, another way to its database) from the test's. */
export async function listenApi(
  overrides: Partial<AppConfig> = {},
  appConfig = (config: AppConfig) => config,
): Promise<ListeningApi> {
  const env = await createTestEnvironment(overrides);
  const db = createDataSource(env.config);
  await db.initialize();
  const redis = new Redis(env.config.REDIS_URL);
  const config = appConfig(env.config);
  const app = await createTestApp(AppModule.register(config), config);
  const port = await freePort();
  await app.listen({ port, host: '127.0.0.1' });
  const clients = new Agent({ connections: 200 });
  return {
    env,
    app,
    db,
    redis,
    clients,
    base: `http://127.0.0.1:${port}/api/v1`,
    async close() {
      await clients.close();
      await app.close();
      redis.disconnect();
      await db.destroy();
      await env.dispose();
    },
  };
}
