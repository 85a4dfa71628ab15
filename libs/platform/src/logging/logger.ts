import { AsyncLocalStorage } from 'node:async_hooks';
import { LoggerService } from '@nestjs/common';
import pino, { DestinationStream, Logger } from 'pino';
import { prettyFactory } from 'pino-pretty';
import { AppConfig } from '@quan/config';

interface RequestContext {
  requestId: string;
}

/** Carries the request id through everything a request does, so each log line can name it. */
export const requestContext = new AsyncLocalStorage<RequestContext>();

/** Paths that could carry personal data or secrets; pino replaces them before a line is written. */
const REDACT = [
  'req.headers.authorization',
  'req.headers.cookie',
  'headers.authorization',
  '*.password',
  '*.phone',
  '*.idNumber',
  '*.accessToken',
  '*.refreshToken',
];

const SHANGHAI_TIME = new Intl.DateTimeFormat('sv-SE', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  fractionalSecondDigits: 3,
  hourCycle: 'h23',
});

/** A log line's ISO time as the wall clock of Asia/Shanghai, where the bureau and its business days are. */
export function shanghaiTime(iso: string): string {
  return `${SHANGHAI_TIME.format(new Date(iso)).replace(',', '.')} +08:00`;
}

/** Whether logs are pretty-printed: LOG_FORMAT, or with `auto` whether stdout is a terminal (as under npm start). */
export function prettyLogs(config: Pick<AppConfig, 'LOG_FORMAT'>, isTerminal = process.stdout.isTTY === true): boolean {
  return config.LOG_FORMAT === 'pretty' || (config.LOG_FORMAT === 'auto' && isTerminal);
}

/**
 * One line per entry for a person at a terminal: Shanghai time, level, service, message and the fields on
 * the same line. Formatted in the process as each line is written, which is fine for a terminal and never
 * used in containers, where the logs stay JSON for the collector.
 */
export function prettyStream(destination: NodeJS.WritableStream = process.stdout): DestinationStream {
  const format = prettyFactory({
    colorize: destination === process.stdout && process.stdout.isTTY === true,
    singleLine: true,
    translateTime: false,
    ignore: 'pid,hostname,service',
    messageFormat: '{service} {msg}',
    customPrettifiers: { time: (value) => shanghaiTime(String(value)) },
  });
  return { write: (line: string) => void destination.write(format(line)) };
}

/** pino logs, request id included, no personal data: JSON lines, or pretty ones at a terminal (prettyLogs). */
export function createLogger(config: AppConfig, service: string, stream?: DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    level: config.LOG_LEVEL,
    base: { service, pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: REDACT, censor: '[redacted]' },
    mixin: () => {
      const context = requestContext.getStore();
      return context ? { requestId: context.requestId } : {};
    },
  };
  return pino(options, stream ?? (prettyLogs(config) ? prettyStream() : pino.destination(1)));
}

/** Nest's start-up chatter (each module initialised, each route mapped): useful when debugging, noise otherwise. */
const START_UP_CONTEXTS = new Set([
  'InstanceLoader',
  'RoutesResolver',
  'RouterExplorer',
  'NestFactory',
  'NestApplication',
]);

/** Nest's logger interface on top of pino, so framework and application lines share one format. */
export class PinoNestLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}

  log(message: unknown, ...rest: unknown[]): void {
    const context = rest[rest.length - 1];
    this.write(typeof context === 'string' && START_UP_CONTEXTS.has(context) ? 'debug' : 'info', message, rest);
  }

  error(message: unknown, ...rest: unknown[]): void {
    this.write('error', message, rest);
  }

  warn(message: unknown, ...rest: unknown[]): void {
    this.write('warn', message, rest);
  }

  debug(message: unknown, ...rest: unknown[]): void {
    this.write('debug', message, rest);
  }

  verbose(message: unknown, ...rest: unknown[]): void {
    this.write('trace', message, rest);
  }

  fatal(message: unknown, ...rest: unknown[]): void {
    this.write('fatal', message, rest);
  }

  private write(level: pino.Level, message: unknown, rest: unknown[]): void {
    // Nest passes the context (class name) last; a string before it is an error stack, or the
    // message text when the first argument is an object of fields.
    const context = typeof rest[rest.length - 1] === 'string' ? (rest[rest.length - 1] as string) : undefined;
    const extra = rest.length > 1 && typeof rest[0] === 'string' ? rest[0] : undefined;
    if (message instanceof Error) {
      this.logger[level]({ context, err: message }, message.message);
    } else if (typeof message === 'object' && message !== null) {
      this.logger[level]({ context, ...message }, extra);
    } else {
      this.logger[level]({ context, ...(extra ? { stack: extra } : {}) }, String(message));
    }
  }
}
