import { Body, Controller, Module, Post } from '@nestjs/common';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Public } from '@quan/auth';
import { IsInt, IsString, Min } from 'class-validator';
import { createDataSource } from '@quan/data';
import { seedDemoCity } from '@quan/demo';
import { createTestApp, createTestEnvironment, TestEnvironment } from '@quan/testing';
import { AppModule } from '../src/app.module';

class EchoDto {
  @IsString()
  name!: string;

  @IsInt()
  @Min(1)
  amountFen!: number;
}

/** A route used only here, to prove how every DTO-validated endpoint behaves. */
@Public()
@Controller('test-echo')
class EchoController {
  @Post()
  echo(@Body() body: EchoDto): EchoDto {
    return body;
  }
}

@Module({ controllers: [EchoController] })
class EchoModule {}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('HTTP conventions of the api (real Postgres and Redis)', () => {
  let env: TestEnvironment;
  let app: NestFastifyApplication;

  beforeAll(async () => {
    env = await createTestEnvironment();
    const dataSource = createDataSource(env.config);
    await dataSource.initialize();
    await seedDemoCity(dataSource, env.config);
    await dataSource.destroy();
    app = await createTestApp(
      { module: class TestRoot {}, imports: [AppModule.register(env.config), EchoModule] },
      env.config,
    );
  });

  afterAll(async () => {
    await app?.close();
    await env?.dispose();
  });

  it('answers /health/live and /health/ready with Postgres and Redis up', async () => {
    expect((await app.inject({ url: '/health/live' })).statusCode).toBe(200);
    const ready = await app.inject({ url: '/health/ready' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toMatchObject({
      status: 'ready',
      checks: { postgres: { status: 'up' }, redis: { status: 'up' } },
    });
  });

  it('serves reference data under /api/v1', async () => {
    const counties = await app.inject({ url: '/api/v1/counties' });
    expect(counties.statusCode).toBe(200);
    expect(counties.json()).toHaveLength(12);
    expect(counties.json()[0]).toEqual({ code: 'hanbin', name: '汉滨区', kind: 'district' });
    expect((await app.inject({ url: '/api/v1/categories' })).json().map((c: { name: string }) => c.name)).toEqual([
      '餐饮',
      '商超零售',
      '家电',
      '汽车',
      '家居',
      '文旅娱乐',
      '富硒特产',
    ]);
  });

  it.each([
    ['GET', '/health/live', undefined],
    ['GET', '/api/v1/counties', undefined],
    ['GET', '/api/v1/counties/nowhere', undefined],
    ['GET', '/no/such/route', undefined],
    ['POST', '/api/v1/test-echo', { name: 'x', amountFen: 0 }],
    ['GET', '/metrics', undefined],
    ['GET', '/docs/openapi.json', undefined],
  ] as const)('puts a request id on %s %s', async (method, url, payload) => {
    const response = await app.inject({ method, url, payload });
    expect(response.headers['x-request-id']).toMatch(UUID);
  });

  it('keeps a well-formed caller request id and replaces a malformed one', async () => {
    const kept = await app.inject({ url: '/health/live', headers: { 'x-request-id': 'lb-7f3a.42' } });
    expect(kept.headers['x-request-id']).toBe('lb-7f3a.42');
    const replaced = await app.inject({ url: '/health/live', headers: { 'x-request-id': 'bad id with spaces' } });
    expect(replaced.headers['x-request-id']).toMatch(UUID);
  });

  it('answers a domain error as problem+json with its code and the request id', async () => {
    const response = await app.inject({ url: '/api/v1/counties/nowhere' });
    expect(response.statusCode).toBe(404);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.json()).toEqual({
      type: 'urn:quan:problem:county-not-found',
      title: 'Not Found',
      status: 404,
      code: 'COUNTY_NOT_FOUND',
      detail: 'No county with code nowhere',
      instance: '/api/v1/counties/nowhere',
      requestId: response.headers['x-request-id'],
    });
  });

  it('answers an unknown route with 404 NOT_FOUND', async () => {
    const response = await app.inject({ url: '/api/v1/nothing-here' });
    expect(response.statusCode).toBe(404);
    expect(response.json()).toMatchObject({ code: 'NOT_FOUND', requestId: response.headers['x-request-id'] });
  });

  it('rejects invalid bodies with 400 VALIDATION_FAILED naming each field', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/api/v1/test-echo',
      payload: { name: 3, amountFen: 0.5, extra: true },
    });
    expect(response.statusCode).toBe(400);
    const body = response.json();
    expect(body.code).toBe('VALIDATION_FAILED');
    expect(body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['amountFen', 'extra', 'name']);
  });

  it('rejects malformed JSON and oversized bodies with a code', async () => {
    const badJson = await app.inject({
      method: 'POST',
      url: '/api/v1/test-echo',
      headers: { 'content-type': 'application/json' },
      payload: '{"name":',
    });
    expect(badJson.statusCode).toBe(400);
    expect(badJson.json().code).toBe('VALIDATION_FAILED');
    const huge = await app.inject({
      method: 'POST',
      url: '/api/v1/test-echo',
      payload: { name: 'x'.repeat(70 * 1024), amountFen: 1 },
    });
    expect(huge.statusCode).toBe(413);
    expect(huge.json().code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('accepts a valid body', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/api/v1/test-echo',
      payload: { name: '汉水酒家', amountFen: 2000 },
    });
    expect(response.statusCode).toBe(201);
    expect(response.json()).toEqual({ name: '汉水酒家', amountFen: 2000 });
  });

  it('serves the OpenAPI document and Swagger UI at /docs', async () => {
    const document = (await app.inject({ url: '/docs/openapi.json' })).json();
    expect(document.openapi).toMatch(/^3\./);
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining(['/api/v1/counties', '/api/v1/counties/{code}', '/health/ready']),
    );
    const ui = await app.inject({ url: '/docs' });
    expect(ui.statusCode).toBe(200);
    expect(ui.body).toContain('swagger-ui');
  });

  it('exposes request latency by route pattern and status, and process figures, at /metrics', async () => {
    await app.inject({ url: '/api/v1/counties/nowhere' });
    const metrics = (await app.inject({ url: '/metrics' })).body;
    expect(metrics).toMatch(
      /http_request_duration_seconds_count\{service="api",method="GET",route="\/api\/v1\/counties\/:code",status_code="404"\} [1-9]/,
    );
    expect(metrics).toContain('process_resident_memory_bytes');
    expect(metrics).toContain('nodejs_eventloop_lag_seconds');
  });
});
