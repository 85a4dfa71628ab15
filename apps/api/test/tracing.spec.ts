import { InMemorySpanExporter, NodeTracerProvider, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-node';
import { loadConfig } from '@quan/config';
import { tracesExporterOf, useTracing, waitUntil } from '@quan/platform';
import { createRedemptionFixture, freePort, startCompiled, StartedProcess } from '@quan/testing';
import { Api, startApi } from './support/api';

describe('tracing', () => {
  it('is off by default and switched on by the standard OTEL_* variables', () => {
    expect(tracesExporterOf(loadConfig({}))).toBeUndefined();
    expect(tracesExporterOf(loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' }))).toBe('otlp');
    expect(tracesExporterOf(loadConfig({ OTEL_TRACES_EXPORTER: 'console' }))).toBe('console');
    expect(tracesExporterOf(loadConfig({ OTEL_TRACES_EXPORTER: 'otlp', OTEL_SDK_DISABLED: 'true' }))).toBeUndefined();
    expect(
      tracesExporterOf(
        loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_TRACES_EXPORTER: 'none' }),
      ),
    ).toBeUndefined();
  });

  describe('on', () => {
    const exporter = new InMemorySpanExporter();
    let provider: NodeTracerProvider;
    let api: Api;
    let worker: StartedProcess | undefined;

    beforeAll(async () => {
      // The api in this process exports to memory; the worker below is the compiled one, switched on by OTEL_TRACES_EXPORTER.
      provider = useTracing(new SimpleSpanProcessor(exporter), 'quan-api');
      api = await startApi();
    });

    afterAll(async () => {
      if (worker) {
        worker.child.kill('SIGTERM');
        await worker.exited;
      }
      await api?.close();
      await provider?.shutdown();
    });

    it("carries a redemption's trace from the api request through the outbox into its settlement job", async () => {
      const fixture = await createRedemptionFixture(api.db, api.env.config, { residents: 1, merchants: 1 });
      const redeemed = await api.call('POST', '/merchant/redemptions', {
        token: fixture.merchants[0].cashierTokens[0],
        body: { code: fixture.vouchers[0].shortCode, orderAmountFen: 6000 },
        headers: { 'idempotency-key': 'traced-1' },
      });
      expect(redeemed.status).toBe(201);
      const request = exporter
        .getFinishedSpans()
        .find((span) => span.attributes['http.route'] === '/api/v1/merchant/redemptions');
      const traceId = request?.spanContext().traceId;
      expect(traceId).toMatch(/^[0-9a-f]{32}$/);

      const [message] = (await api.db.query(`SELECT payload FROM outbox WHERE payload->>'redemptionId' = $1`, [
        redeemed.body.id,
      ])) as { payload: { trace?: string } }[];
      expect(message.payload.trace).toMatch(new RegExp(`^00-${traceId}-${request?.spanContext().spanId}-0[01]$`));

      worker = startCompiled('apps/worker/src/main.js', {
        DATABASE_URL: api.env.config.DATABASE_URL,
        REDIS_KEY_PREFIX: api.env.config.REDIS_KEY_PREFIX,
        WORKER_PORT: String(await freePort()),
        OUTBOX_RELAY_MS: '200',
        LOG_LEVEL: 'warn',
        OTEL_TRACES_EXPORTER: 'console',
      });
      // The console exporter prints each finished span; the settlement job's names the request's trace.
      const jobSpan = () =>
        worker!
          .output()
          .split(/\n(?=\{)/)
          .find((block) => block.includes(`name: 'settlement redemption.redeemed'`));
      await waitUntil('the settlement job span', async () => jobSpan() !== undefined, 30000);
      expect(jobSpan()).toContain(`traceId: '${traceId}'`);
      expect(jobSpan()).toContain(`spanId: '${request?.spanContext().spanId}'`);

      // Shutdown exports what is left and still exits cleanly with tracing on.
      worker.child.kill('SIGTERM');
      expect((await worker.exited).code).toBe(0);
      worker = undefined;
    });
  });
});
