import { randomUUID } from 'node:crypto';
import { RequestMethod } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { Span, SpanStatusCode } from '@opentelemetry/api';
import {
  FastifyBaseLogger,
  FastifyError,
  FastifyInstance,
  FastifyReply,
  FastifyRequest,
  LogController,
  RawServerDefault,
} from 'fastify';
import { Bindings, ChildLoggerOptions } from 'pino';
import { Pool } from 'pg';
import { DataSource } from 'typeorm';
import { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import { AppConfig } from '@quan/config';
import { createLogger, PinoNestLogger, requestContext } from '../logging/logger';
import { registerAdmissionGate } from './admission-gate';
import { createHttpDurationHistogram, createMetricsRegistry, createProblemCounter, Metrics } from '../metrics/metrics';
import { startRequestSpan, tracingOn } from '../tracing/tracing';
import { auditActedRequests } from '../audit/acted-requests';
import { serveDirectRoutes } from './direct-route';
import { INPUT_LIMITS, refuseHostileInput } from './input-limits';
import { problemCodeOf, ProblemFilter, replyWithProblem } from './problem.filter';
import { registerSecurityHeaders } from './security-headers';
import { createValidationPipe } from './validation';

export const API_PREFIX = 'api/v1';
export const REQUEST_ID_HEADER = 'x-request-id';
const CLIENT_REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;

/** Honours a well-formed X-Request-Id from the caller (or a proxy); otherwise makes a fresh one. */
function requestIdOf(request: { headers: Record<string, string | string[] | undefined> }): string {
  const given = request.headers[REQUEST_ID_HEADER];
  return typeof given === 'string' && CLIENT_REQUEST_ID.test(given) ? given : randomUUID();
}

/**
 * TRUST_PROXY as Fastify takes it. Only the proxies named may set the address a request is counted under
 * (the staff login throttle) and its scheme (HSTS); trusting every hop would let a client choose them.
 */
export function trustedProxies(setting: string): string | false | ((address: string, hop: number) => boolean) {
  if (setting === 'none') return false;
  if (!/^\d+$/.test(setting)) return setting;
  const hops = Number(setting);
  return (_address, hop) => hop < hops;
}

export interface HttpAppOptions {
  /**
   * Nest's preview mode: modules and routes are declared but no provider or controller is created, so
   * nothing connects to Postgres or Redis. Enough to describe the API (`npm run api:types`), not to serve it.
   */
  preview?: boolean;
}

/**
 * Builds the HTTP application the same way for production and for tests: Fastify with pino logs,
 * request ids, security headers, problem+json errors, validated DTOs, Prometheus metrics, OpenAPI at /docs.
 */
export async function createHttpApp(
  rootModule: unknown,
  config: AppConfig,
  options: HttpAppOptions = {},
): Promise<NestFastifyApplication> {
  const logger = createLogger(config, 'api');
  const adapter = new FastifyAdapter({
    loggerInstance: logger,
    // One access line per request is written in onResponse; the request id comes from requestContext.
    logController: new LogController({ disableRequestLogging: true }),
    childLoggerFactory: (parent: FastifyBaseLogger, _bindings: Bindings, options: ChildLoggerOptions) =>
      parent.child({}, options),
    genReqId: requestIdOf,
    bodyLimit: INPUT_LIMITS.bodyBytes,
    trustProxy: trustedProxies(config.TRUST_PROXY),
    return503OnClosing: true,
    // A path that is not valid percent-encoded UTF-8 fails before routing: answer it as every other error.
    frameworkErrors: (error: FastifyError, request: FastifyRequest, reply: FastifyReply) =>
      replyWithProblem(error, request, reply),
  });
  const app = await NestFactory.create<NestFastifyApplication>(rootModule as never, adapter, {
    logger: new PinoNestLogger(logger),
    preview: options.preview,
  });
  registerSecurityHeaders(app, config);
  serveDirectRoutes(app);
  const fastify = app.getHttpAdapter().getInstance();
  // Actions that take no input (submit, approve, QR …) are often called with `content-type:
  // application/json` and no body (client libraries set the header on every request); Fastify's JSON
  // parser refuses an empty body. Here an empty body is no body, which a DTO then takes or refuses like
  // a missing one; any other body goes to Fastify's parser (prototype-poisoning checks and all), so
  // malformed JSON stays a 400.
  const parseJson = fastify.getDefaultJsonParser('error', 'error');
  app.useBodyParser<RawServerDefault>('application/json', {}, (request, body, done) =>
    body.length === 0 ? done(null, undefined) : parseJson(request, body.toString(), done),
  );
  refuseHostileInput(fastify);
  // In preview mode no provider exists; the registry is then a throwaway one.
  const registry = options.preview ? createMetricsRegistry('api') : app.get(Metrics).registry;
  const duration = createHttpDurationHistogram(registry);
  const problems = createProblemCounter(registry);

  fastify.addHook('onRequest', (request, _reply, done) => {
    requestContext.run({ requestId: request.id }, done);
  });
  // Before any other work (tracing, body parsing, auth): a request past capacity costs only its refusal.
  registerAdmissionGate(
    fastify,
    config,
    registry,
    API_PREFIX,
    options.preview ? undefined : postgresPoolSaturated(app.get(DataSource), config.GATE_POOL_QUEUE_FACTOR),
  );
  // Only when tracing is on: off, a request passes no tracing hook at all.
  if (tracingOn()) traceRequests(fastify);
  // While closing, answers still in flight tell the client to drop the connection, so keep-alive
  // sockets do not hold the shutdown open until their idle timeout.
  let draining = false;
  fastify.addHook('preClose', async () => {
    draining = true;
  });
  // The hooks every request passes take Fastify's callback form: an async hook costs a promise per request.
  fastify.addHook('onSend', (request, reply, payload, done) => {
    reply.header(REQUEST_ID_HEADER, request.id);
    if (draining) reply.header('connection', 'close');
    done(null, payload);
  });
  if (!options.preview) auditActedRequests(fastify, app.get(DataSource));
  fastify.addHook('onResponse', (request: FastifyRequest, reply, done) => {
    const route = request.routeOptions.url ?? 'unmatched';
    duration.observe(
      { method: request.method, route, status_code: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
    if (reply.statusCode >= 400) {
      const code = problemCodeOf(request);
      if (code) problems.inc({ route, code });
    }
    request.log.info(
      { method: request.method, route, status: reply.statusCode, ms: Math.round(reply.elapsedTime) },
      'request completed',
    );
    done();
  });
  fastify.get('/metrics', async (_request, reply) => {
    reply.header('content-type', registry.contentType);
    return registry.metrics();
  });

  app.setGlobalPrefix(API_PREFIX, {
    exclude: [
      { path: 'health/live', method: RequestMethod.GET },
      { path: 'health/ready', method: RequestMethod.GET },
    ],
  });
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new ProblemFilter());

  // A preview app is never served: describeHttpApi builds its document itself.
  if (!options.preview)
    SwaggerModule.setup('docs', app, createApiDocument(app), { jsonDocumentUrl: 'docs/openapi.json' });
  return app;
}

/** Whether requests wait for Postgres connections, as many as the pool has: TypeORM's pg pool, read as it is. */
function postgresPoolSaturated(dataSource: DataSource, factor: number): (() => boolean) | undefined {
  if (factor === 0) return undefined;
  return () => {
    const pool = (dataSource.driver as PostgresDriver).master as Pool | undefined;
    return pool !== undefined && pool.waitingCount > 0 && pool.waitingCount >= factor * pool.totalCount;
  };
}

/** One server span per request, active while it is handled (so outbox messages it writes carry its trace). */
function traceRequests(fastify: FastifyInstance): void {
  const spans = new WeakMap<FastifyRequest, Span>();
  fastify.addHook('onRequest', (request, _reply, done) => {
    const started = startRequestSpan(request.method, request.headers);
    if (!started) return done();
    spans.set(request, started.span);
    started.run(done);
  });
  fastify.addHook('onResponse', (request, reply, done) => {
    const span = spans.get(request);
    if (span) {
      const route = request.routeOptions.url ?? 'unmatched';
      span.updateName(`${request.method} ${route}`);
      span.setAttributes({
        'http.route': route,
        'http.response.status_code': reply.statusCode,
        'quan.request_id': request.id,
      });
      if (reply.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
    }
    done();
  });
}

/** The OpenAPI document of an app made by createHttpApp: what /docs/openapi.json serves. */
function createApiDocument(app: NestFastifyApplication): OpenAPIObject {
  return SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Quan API')
      .setDescription(
        'Consumer voucher platform: residents claim, cashiers redeem, the bureau configures and settles. Errors are application/problem+json with a stable `code`.',
      )
      .setVersion('1')
      .addBearerAuth()
      .build(),
  );
}

/**
 * The OpenAPI document of an API, without serving it or reaching Postgres and Redis: the app in preview
 * mode, with the same prefix, pipes and documentation as createHttpApp gives the running one.
 */
export async function describeHttpApi(rootModule: unknown, config: AppConfig): Promise<OpenAPIObject> {
  const app = await createHttpApp(rootModule, config, { preview: true });
  try {
    return createApiDocument(app);
  } finally {
    await app.close();
  }
}
