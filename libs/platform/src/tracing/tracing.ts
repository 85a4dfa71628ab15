import { context, propagation, ROOT_CONTEXT, Span, SpanKind, SpanStatusCode, trace, Tracer } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BatchSpanProcessor,
  ConsoleSpanExporter,
  NodeTracerProvider,
  SimpleSpanProcessor,
  SpanProcessor,
} from '@opentelemetry/sdk-trace-node';
import { AppConfig } from '@quan/config';

/**
 * OpenTelemetry traces, off unless the standard OTEL_* variables ask for them. While off, nothing is
 * registered and every helper here returns at its first line, so the claim path pays one comparison.
 * On, an api request is a server span (http-app.ts), whose W3C traceparent goes into the outbox
 * messages the request writes, and from there into the job data, where the worker's job span takes it
 * as its parent (MeteredProcessor): one trace from the till to settlement.
 */
let tracer: Tracer | undefined;
let registered: NodeTracerProvider | undefined;

/** How long shutdown waits for the last spans to be exported (a collector that does not answer must not hold it). */
const FLUSH_MS = 2000;

type TracingConfig = Pick<
  AppConfig,
  | 'OTEL_SDK_DISABLED'
  | 'OTEL_TRACES_EXPORTER'
  | 'OTEL_EXPORTER_OTLP_ENDPOINT'
  | 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT'
  | 'OTEL_SERVICE_NAME'
>;

/** The exporter the variables name: `otlp` or `console`, or `otlp` when only an endpoint is set; none otherwise. */
export function tracesExporterOf(config: TracingConfig): 'otlp' | 'console' | undefined {
  if (config.OTEL_SDK_DISABLED === 'true' || config.OTEL_TRACES_EXPORTER === 'none') return undefined;
  if (config.OTEL_TRACES_EXPORTER === 'otlp' || config.OTEL_TRACES_EXPORTER === 'console')
    return config.OTEL_TRACES_EXPORTER;
  return config.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT || config.OTEL_EXPORTER_OTLP_ENDPOINT ? 'otlp' : undefined;
}

/** Starts tracing for `service` when the configuration asks for it (see tracesExporterOf); returns whether it did. */
export function startTracing(config: TracingConfig, service: string): boolean {
  const exporter = tracesExporterOf(config);
  if (!exporter) return false;
  const base = config.OTEL_EXPORTER_OTLP_ENDPOINT?.replace(/\/$/, '');
  const processor =
    exporter === 'console'
      ? new SimpleSpanProcessor(new ConsoleSpanExporter())
      : new BatchSpanProcessor(
          new OTLPTraceExporter({
            url: config.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ?? (base ? `${base}/v1/traces` : undefined),
          }),
        );
  useTracing(processor, config.OTEL_SERVICE_NAME ?? `quan-${service}`);
  return true;
}

/** Registers a tracer provider exporting through `processor` (tests pass an in-memory exporter's); returns it, to shut down. */
export function useTracing(processor: SpanProcessor, serviceName: string): NodeTracerProvider {
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': serviceName }),
    spanProcessors: [processor],
  });
  provider.register();
  tracer = provider.getTracer('quan');
  registered = provider;
  return provider;
}

/** Exports the spans still buffered, for at most FLUSH_MS (at shutdown); nothing to do while tracing is off. */
export async function stopTracing(): Promise<void> {
  if (!registered) return;
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    registered.shutdown(),
    new Promise<void>((resolve) => (timer = setTimeout(resolve, FLUSH_MS))),
  ]).finally(() => clearTimeout(timer));
}

/** Whether spans are being recorded in this process. */
export const tracingOn = (): boolean => tracer !== undefined;

/** The W3C traceparent of the active span, to carry in an outbox message; undefined while tracing is off. */
export function currentTraceparent(): string | undefined {
  if (!tracer) return undefined;
  const carrier: { traceparent?: string } = {};
  propagation.inject(context.active(), carrier);
  return carrier.traceparent;
}

/** Starts a server span for a request, its parent taken from the request's traceparent header if any. */
export function startRequestSpan(
  method: string,
  headers: Record<string, string | string[] | undefined>,
): { span: Span; run: <T>(work: () => T) => T } | undefined {
  if (!tracer) return undefined;
  const parent = propagation.extract(ROOT_CONTEXT, headers);
  const span = tracer.startSpan(
    method,
    { kind: SpanKind.SERVER, attributes: { 'http.request.method': method } },
    parent,
  );
  const active = trace.setSpan(parent, span);
  return { span, run: (work) => context.with(active, work) };
}

/** Runs `work` in a consumer span named `name`, child of the span that wrote `traceparent` (a job's data); just runs it while tracing is off. */
export async function inJobSpan<T>(name: string, traceparent: string | undefined, work: () => Promise<T>): Promise<T> {
  if (!tracer) return work();
  const parent = traceparent ? propagation.extract(ROOT_CONTEXT, { traceparent }) : ROOT_CONTEXT;
  const span = tracer.startSpan(name, { kind: SpanKind.CONSUMER }, parent);
  try {
    return await context.with(trace.setSpan(parent, span), work);
  } catch (error) {
    span.recordException(error instanceof Error ? error : String(error));
    span.setStatus({ code: SpanStatusCode.ERROR });
    throw error;
  } finally {
    span.end();
  }
}
