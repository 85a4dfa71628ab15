import { PassThrough } from 'node:stream';
import pino from 'pino';
import { loadConfig } from '@quan/config';
import { createLogger, PinoNestLogger, prettyLogs, prettyStream, shanghaiTime } from './logger';

/** Collects what a stream is given, as text. */
function sink(): { stream: PassThrough; text: () => string } {
  const stream = new PassThrough();
  const chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  return { stream, text: () => Buffer.concat(chunks).toString('utf8') };
}

describe('logs', () => {
  it('are pretty at a terminal and JSON elsewhere, unless LOG_FORMAT says which', () => {
    expect(prettyLogs(loadConfig({}), true)).toBe(true);
    expect(prettyLogs(loadConfig({}), false)).toBe(false);
    expect(prettyLogs(loadConfig({ LOG_FORMAT: 'json' }), true)).toBe(false);
    expect(prettyLogs(loadConfig({ LOG_FORMAT: 'pretty' }), false)).toBe(true);
  });

  it('show times on the clock of Asia/Shanghai', () => {
    expect(shanghaiTime('2026-12-07T17:30:05.120Z')).toBe('2026-12-08 01:30:05.120 +08:00');
  });

  it('print a request as one readable line with its fields', () => {
    const out = sink();
    const logger = createLogger(loadConfig({}), 'api', prettyStream(out.stream));
    logger.info({ method: 'POST', route: '/api/v1/rounds/:roundId/claims', status: 201, ms: 3 }, 'request completed');
    const lines = out.text().trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} \+08:00 .*INFO.*api request completed.*"route":"\/api\/v1\/rounds\/:roundId\/claims".*"status":201/,
    );
  });

  it('write JSON when not pretty', () => {
    const out = sink();
    createLogger(loadConfig({}), 'worker', out.stream).info('worker running');
    expect(JSON.parse(out.text())).toMatchObject({ service: 'worker', msg: 'worker running', level: 30 });
  });

  it("put Nest's route mapping at debug level and keep other lines at info", () => {
    const out = sink();
    const nest = new PinoNestLogger(pino({ level: 'debug' }, out.stream));
    nest.log('Mapped {/api/v1/rounds, GET} route', 'RouterExplorer');
    nest.log('api listening', 'Bootstrap');
    const levels = out
      .text()
      .trimEnd()
      .split('\n')
      .map((line) => (JSON.parse(line) as { level: number }).level);
    expect(levels).toEqual([20, 30]);
  });
});
