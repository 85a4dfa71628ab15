import autocannon from 'autocannon';

export interface LoadResult {
  requestsPerSec: number;
  okPerSec: number;
  ok: number;
  non2xx: number;
  errors: number;
  p50Ms: number;
  p99Ms: number;
  /** Answers (any status) in each second of the run: the slowest second (0 if one had none), the median one and the fastest. */
  perSecond: { min: number; median: number; max: number };
}

export interface LoadOptions {
  url: string;
  /** POST (a JSON body per request) unless GET. */
  method?: 'GET' | 'POST';
  seconds: number;
  connections: number;
  /** Builds each request's body (POST), path (optional: the url's otherwise) and headers; called once per request. */
  next: () => { body?: string; path?: string; headers: Record<string, string> };
  onResponse?: (status: number, body: string) => void;
}

/** Loads one endpoint from this machine with autocannon (POST with JSON, or GET) and summarises what it saw. */
export async function load(options: LoadOptions): Promise<LoadResult> {
  const result = await autocannon({
    url: options.url,
    connections: options.connections,
    duration: options.seconds,
    requests: [
      {
        method: options.method ?? 'POST',
        setupRequest: (request) => {
          const { body, path, headers } = options.next();
          if (options.method === 'GET') return { ...request, path: path ?? request.path, headers };
          return {
            ...request,
            body,
            path: path ?? request.path,
            headers: { 'content-type': 'application/json', ...headers },
          };
        },
        onResponse: options.onResponse ? (status, body) => options.onResponse!(status, body) : undefined,
      },
    ],
  });
  const seconds = result.duration;
  return {
    requestsPerSec: Math.round(result.requests.total / seconds),
    okPerSec: Math.round(result['2xx'] / seconds),
    ok: result['2xx'],
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    // `requests.min` skips seconds without answers; the lowest percentile does not.
    perSecond: { min: result.requests.p0_001, median: result.requests.p50, max: result.requests.max },
  };
}

/**
 * A load's items (residents, vouchers) taken in turn, starting again after the last one. `ranOut` is a line
 * for the report when the load used them all: its later requests then repeat earlier ones and are refused.
 */
export function inTurn<T>(items: readonly T[], noun: string) {
  let next = 0;
  return {
    take: (): T => items[next++ % items.length],
    ranOut: (what: string): string =>
      next > items.length
        ? `  the ${what} ran past its ${items.length.toLocaleString()} ${noun}: its later requests repeated earlier ones, and their refusals are in its figures\n`
        : '',
  };
}

/** A table of load results, one row per labelled run, as the benchmarks print it. */
export function resultTable(rows: [label: string, result: LoadResult][]): string {
  const line = (label: string, cells: (string | number)[]) =>
    `  ${label.padEnd(25)} ${cells.map((cell, i) => String(cell).padStart([8, 9, 8, 9, 7][i])).join(' ')}`;
  return [
    line('path', ['ok/s', 'p50 ms', 'p99 ms', 'non-2xx', 'errors']),
    ...rows.map(([label, r]) => line(label, [r.okPerSec, r.p50Ms, r.p99Ms, r.non2xx, r.errors])),
  ].join('\n');
}
