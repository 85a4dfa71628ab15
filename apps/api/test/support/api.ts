import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DataSource } from 'typeorm';
import { AppConfig } from '@quan/config';
import { createDataSource } from '@quan/data';
import { DEMO_PASSWORD, seedDemoCity } from '@quan/demo';
import { createTestApp, createTestEnvironment, TestEnvironment } from '@quan/testing';
import { AppModule } from '../../src/app.module';

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface Reply {
  status: number;
  headers: Record<string, unknown>;
  body: Record<string, unknown> & { code?: string };
  requestId: string;
}

/** The real api on a database of its own with the demo city seeded, and a data source to look behind it. */
export interface Api {
  env: TestEnvironment;
  app: NestFastifyApplication;
  db: DataSource;
  call(
    method: Method,
    url: string,
    options?: { token?: string; body?: unknown; requestId?: string; headers?: Record<string, string> },
  ): Promise<Reply>;
  /** Logs a demo account in (password DEMO_PASSWORD unless given) and answers its access token. */
  login(username: string, password?: string): Promise<string>;
  close(): Promise<void>;
}

export async function startApi(overrides: Partial<AppConfig> = {}): Promise<Api> {
  const env = await createTestEnvironment(overrides);
  const db = createDataSource(env.config);
  await db.initialize();
  await seedDemoCity(db, env.config);
  const app = await createTestApp(AppModule.register(env.config), env.config);
  const call: Api['call'] = async (method, url, options = {}) => {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    if (options.requestId) headers['x-request-id'] = options.requestId;
    const response = await app.inject({ method, url: `/api/v1${url}`, headers, payload: options.body as never });
    // JSON and problem+json bodies are parsed; others (a CSV export) are left to the caller's `app.inject`.
    const body =
      response.body && String(response.headers['content-type']).includes('json')
        ? (response.json() as Reply['body'])
        : {};
    return {
      status: response.statusCode,
      headers: response.headers,
      body,
      requestId: String(response.headers['x-request-id']),
    };
  };
  return {
    env,
    app,
    db,
    call,
    async login(username, password = DEMO_PASSWORD) {
      const reply = await call('POST', '/auth/staff/login', { body: { username, password } });
      if (reply.status !== 200)
        throw new Error(`login of ${username} failed: ${reply.status} ${JSON.stringify(reply.body)}`);
      return reply.body.accessToken as string;
    },
    async close() {
      await app.close();
      await db.destroy();
      await env.dispose();
    },
  };
}
