import { Pool } from 'undici';

/** One answer of a step, as the report counts it. */
export interface Answer {
  status: number;
  /** The problem's `code`, when the answer is one. */
  code?: string;
  body: string;
  retryAfterS?: number;
  /** The gate's ticket for a shed request's retry (see libs/platform's admission gate). */
  retryTicket?: string;
}

/** Figures of one step of the journey (login, identity …) over a run. */
export class StepFigures {
  readonly latenciesMs: number[] = [];
  /** Answers that were not what the step expects (shed ones included), and transport errors. */
  failures = 0;

  percentile(p: number): number {
    if (this.latenciesMs.length === 0) return 0;
    const sorted = Float64Array.from(this.latenciesMs).sort();
    return Math.round(sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]);
  }
}

/** Everything one run saw: per step, answers by status and code, the longest wait. */
export class RunFigures {
  readonly steps = new Map<string, StepFigures>();
  readonly answers = new Map<string, number>();
  maxWaitMs = 0;
  residentsStarted = 0;
  residentsDone = 0;
  /** Residents still on their journey when the run's time was up and the grace to finish ran out. */
  unfinished = 0;

  step(name: string): StepFigures {
    let figures = this.steps.get(name);
    if (!figures) this.steps.set(name, (figures = new StepFigures()));
    return figures;
  }

  /** An answer, or a request that got none (`error`: its code, ECONNRESET say). */
  count(answer: Answer | { error: string }): void {
    const label =
      'error' in answer ? `no answer (${answer.error})` : `${answer.status}${answer.code ? ` ${answer.code}` : ''}`;
    this.answers.set(label, (this.answers.get(label) ?? 0) + 1);
  }

  get requests(): number {
    return [...this.steps.values()].reduce((sum, step) => sum + step.latenciesMs.length, 0);
  }

  get failures(): number {
    return [...this.steps.values()].reduce((sum, step) => sum + step.failures, 0);
  }
}

const CODE = /"code":"([A-Z_]+)"/;

/** An HTTP client for the load: keep-alive connections to one origin, answers read whole (they are small). */
export class LoadClient {
  private readonly pool: Pool;

  constructor(origin: string, connections: number) {
    this.pool = new Pool(origin, { connections, pipelining: 1, keepAliveTimeout: 30_000 });
  }

  async send(method: 'GET' | 'POST', path: string, body: unknown, headers: Record<string, string>): Promise<Answer> {
    const response = await this.pool.request({
      method,
      path,
      body: body === undefined ? undefined : JSON.stringify(body),
      headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
    });
    const text = await response.body.text();
    const retryAfter = response.headers['retry-after'];
    const ticket = response.headers['retry-ticket'];
    return {
      status: response.statusCode,
      code: response.statusCode >= 400 ? CODE.exec(text)?.[1] : undefined,
      body: text,
      retryAfterS: typeof retryAfter === 'string' ? Number(retryAfter) : undefined,
      retryTicket: typeof ticket === 'string' ? ticket : undefined,
    };
  }

  /** Closes the connections; requests still waiting fail. */
  destroy(): Promise<void> {
    return this.pool.destroy();
  }
}

/**
 * Open-loop arrivals: `rate` new journeys per second for `seconds`, each started on schedule whether or not
 * earlier ones have finished (a slow server does not slow the arrivals, as residents at an opening do not
 * wait for each other). Resolves when every journey has finished, or `graceMs` after the last start.
 */
export async function arrive(
  rate: number,
  seconds: number,
  graceMs: number,
  journey: (n: number) => Promise<void>,
  figures: RunFigures,
): Promise<void> {
  const total = Math.round(rate * seconds);
  const running = new Set<Promise<void>>();
  const started = performance.now();
  await new Promise<void>((resolve) => {
    const tick = setInterval(() => {
      const due = Math.min(total, Math.floor(((performance.now() - started) / 1000) * rate));
      while (figures.residentsStarted < due) {
        const run = journey(figures.residentsStarted++).finally(() => {
          figures.residentsDone += 1;
          running.delete(run);
        });
        running.add(run);
      }
      if (figures.residentsStarted >= total) {
        clearInterval(tick);
        resolve();
      }
    }, 2);
  });
  let timer: NodeJS.Timeout | undefined;
  const grace = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), graceMs)));
  if ((await Promise.race([Promise.all(running), grace])) === 'late') figures.unfinished = running.size;
  clearTimeout(timer);
}
