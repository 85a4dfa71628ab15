import { plainToInstance, Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Matches, Max, Min, validateSync, ValidationError } from 'class-validator';

export const NODE_ENVS = ['development', 'test', 'production'] as const;
export type NodeEnv = (typeof NODE_ENVS)[number];
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
export const LOG_FORMATS = ['auto', 'pretty', 'json'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

/**
 * Names of the identity verifiers Quan can be configured with. A provider adapter adds its name here and
 * its provider in libs/residents (see docs/residents.md, "Real-name verification").
 */
export const IDENTITY_VERIFIERS = ['checksum'] as const;
export type IdentityVerifierName = (typeof IDENTITY_VERIFIERS)[number];

const DATA_KEYS_PATTERN = /^[A-Za-z0-9]{1,16}:[A-Za-z0-9+/]{43}=(,[A-Za-z0-9]{1,16}:[A-Za-z0-9+/]{43}=)*$/;

/** DATA_KEYS as a map of key id to the 32-byte key. */
export function parseDataKeys(text: string): Map<string, Buffer> {
  return new Map(
    text.split(',').map((entry) => {
      const [id, key] = entry.split(':');
      return [id, Buffer.from(key, 'base64')];
    }),
  );
}

/** Five cron fields of digits, `*`, `/`, `-` and `,` (checked again by BullMQ's parser when the scheduler is registered). */
const CRON_PATTERN = /^[\d*/,-]+( [\d*/,-]+){4}$/;

const toInt = ({ value }: { value: unknown }) =>
  typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : value;

/**
 * The whole runtime configuration of Quan, read from the environment once at start-up.
 * Every variable is documented in .env.example; nothing else reads process.env.
 */
export class AppConfig {
  /** development | test | production. */
  @IsIn(NODE_ENVS)
  NODE_ENV: NodeEnv = 'development';

  /** Port of the HTTP API. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(65535)
  PORT = 3000;

  /** Port of the worker's health and metrics listener. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(65535)
  WORKER_PORT = 3001;

  /** Postgres connection URL. */
  @Matches(/^postgres(ql)?:\/\/[^\s/]+(:\d+)?\/[\w-]+(\?\S*)?$/, {
    message: 'must be a postgres://user@host:port/database URL',
  })
  DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/quan';

  /**
   * Postgres URL that reports and reconciliation read from (a streaming replica); unset, they read from
   * DATABASE_URL. Use readDatabaseUrl() rather than this field.
   */
  @IsOptional()
  @Matches(/^postgres(ql)?:\/\/[^\s/]+(:\d+)?\/[\w-]+(\?\S*)?$/, {
    message: 'must be a postgres://user@host:port/database URL',
  })
  DATABASE_READ_URL: string | undefined = undefined;

  /** Connections per process in the Postgres pool. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(500)
  DATABASE_POOL_SIZE = 20;

  /** Redis connection URL (counters, queues, idempotency). */
  @Matches(/^rediss?:\/\/(\S*@)?[\w.-]+(:\d+)?(\/\d+)?$/, {
    message: 'must be a redis://[user:password@]host:port[/db] URL',
  })
  REDIS_URL = 'redis://127.0.0.1:6379';

  /**
   * A Redis Cluster's seed nodes (host:port,host:port,…): when set, the api, the worker and BullMQ use the
   * cluster (user and password from REDIS_URL) and REDIS_URL names no server. Unset: one Redis server.
   */
  @IsOptional()
  @Matches(/^[\w.-]+:\d+(,[\w.-]+:\d+)*$/, { message: 'must be a comma-separated list of host:port' })
  REDIS_CLUSTER_NODES: string | undefined = undefined;

  /** Prefix of every Redis key and BullMQ queue, so several deployments can share one Redis. */
  @Matches(/^[a-z][a-z0-9_-]{0,31}$/, {
    message: 'must be 1-32 characters of a-z, 0-9, _ or -, starting with a letter',
  })
  REDIS_KEY_PREFIX = 'quan';

  /** Milliseconds a Redis command may take before the request fails with 503. */
  @Transform(toInt)
  @IsInt()
  @Min(50)
  @Max(60000)
  REDIS_COMMAND_TIMEOUT_MS = 1000;

  /** pino log level. */
  @IsIn(LOG_LEVELS)
  LOG_LEVEL: LogLevel = 'info';

  /** auto: pretty lines when stdout is a terminal, JSON otherwise; pretty or json force one. */
  @IsIn(LOG_FORMATS)
  LOG_FORMAT: LogFormat = 'auto';

  /** OpenTelemetry (standard variables): traces are exported only when an exporter is named or an OTLP endpoint is set. */
  @IsOptional()
  @IsIn(['otlp', 'console', 'none'])
  OTEL_TRACES_EXPORTER: string | undefined = undefined;

  /** OTLP endpoint (http/protobuf or http/json base URL); setting it alone switches tracing on with the otlp exporter. */
  @IsOptional()
  @Matches(/^https?:\/\/\S+$/, { message: 'must be an http(s) URL' })
  OTEL_EXPORTER_OTLP_ENDPOINT: string | undefined = undefined;

  /** OTLP endpoint for traces only (takes precedence over OTEL_EXPORTER_OTLP_ENDPOINT). */
  @IsOptional()
  @Matches(/^https?:\/\/\S+$/, { message: 'must be an http(s) URL' })
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: string | undefined = undefined;

  /** true switches tracing off whatever else is set. */
  @IsOptional()
  @IsIn(['true', 'false'])
  OTEL_SDK_DISABLED: string | undefined = undefined;

  /** Service name of the spans; defaults to quan-api or quan-worker. */
  @IsOptional()
  @Matches(/^\S{1,64}$/, { message: 'must be 1-64 characters without spaces' })
  OTEL_SERVICE_NAME: string | undefined = undefined;

  /** How long SIGTERM waits for in-flight requests and jobs before forcing the exit. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(600000)
  SHUTDOWN_GRACE_MS = 15000;

  /** Secret that signs access tokens (HS256), at least 32 characters. Required in production. */
  @Matches(/^\S{32,}$/, { message: 'must be at least 32 characters without spaces' })
  JWT_SECRET = DEVELOPMENT_JWT_SECRET;

  /** Lifetime of an access token, in seconds. */
  @Transform(toInt)
  @IsInt()
  @Min(60)
  @Max(86400)
  ACCESS_TOKEN_TTL_S = 900;

  /** Lifetime of a refresh token, in seconds. */
  @Transform(toInt)
  @IsInt()
  @Min(300)
  @Max(90 * 86400)
  REFRESH_TOKEN_TTL_S = 30 * 86400;

  /** Key of the keyed hashes (HMAC-SHA256) that stand in for phone and ID numbers; at least 32 characters. Required in production. */
  @Matches(/^\S{32,}$/, { message: 'must be at least 32 characters without spaces' })
  PII_HASH_KEY = DEVELOPMENT_PII_HASH_KEY;

  /**
   * Keys of the data sealed at rest (merchants' bank account numbers and contact phones), AES-256-GCM:
   * `id:base64,…`, each key 32 random bytes (`openssl rand -base64 32`), ids of 1-16 letters or digits.
   * Keep every key that still seals a value until `npm run data:rekey` has moved them all to the current one.
   * Required in production.
   */
  @Matches(DATA_KEYS_PATTERN, { message: 'must be id:base64key[,id:base64key…], each key 32 bytes in base64' })
  DATA_KEYS = DEVELOPMENT_DATA_KEYS;

  /** Id, among DATA_KEYS, of the key that seals new values (and that `npm run data:rekey` re-seals to). */
  @Matches(/^[A-Za-z0-9]{1,16}$/, { message: 'must be the id of one of DATA_KEYS' })
  DATA_KEY_CURRENT = 'dev1';

  /**
   * Who verifies a resident's real name and ID number (the IdentityVerifier port in libs/residents).
   * `checksum` checks only the ID number's check character: development and tests only.
   */
  @IsIn(IDENTITY_VERIFIERS)
  IDENTITY_VERIFIER: IdentityVerifierName = 'checksum';

  /** Most resident accounts (phones) that may verify as one person; one more is refused with 409. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(20)
  IDENTITY_MAX_PHONES = 2;

  /**
   * Most residents one community agent may serve (open acting sessions for) in a business day; more are refused
   * with 429 AGENT_QUOTA_EXCEEDED (docs/assisted-claims.md).
   */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(10_000)
  AGENT_DAILY_QUOTA = 50;

  /** Outside production, a fixed login code accepted for every phone (load tests, demos). Six digits. */
  @IsOptional()
  @Matches(/^\d{6}$/, { message: 'must be six digits' })
  AUTH_DEV_OTP: string | undefined = undefined;

  /**
   * Login codes one client address may ask for per minute. Generous: residents share carrier NAT addresses
   * by the thousand, so the limits per phone are the ones that bite.
   */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(100_000_000)
  OTP_IP_LIMIT_PER_MIN = 3000;

  /**
   * The admission gate (libs/platform): requests an api process works on at once. The limit adapts between
   * GATE_MIN_CONCURRENCY and GATE_MAX_CONCURRENCY to the latency it measures (GATE_TARGET_LATENCY_MS); past it, requests are answered
   * 503 BUSY at once. GATE_INITIAL_CONCURRENCY is where it starts.
   */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(100000)
  GATE_MIN_CONCURRENCY = 8;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(100000)
  GATE_MAX_CONCURRENCY = 1000;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(100000)
  GATE_INITIAL_CONCURRENCY = 100;

  /**
   * The p90 latency, in milliseconds, of admitted requests below which the gate's limit never shrinks. Above
   * it, the limit shrinks when a moment's p90 is twice the usual one (requests queue), and grows otherwise
   * while it is being used.
   */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(60000)
  GATE_TARGET_LATENCY_MS = 100;

  /** Requests one access token (one resident's device) may make per second, with bursts of twice that. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(100000)
  GATE_TOKEN_RATE_PER_S = 10;

  /**
   * The gate also sheds every request while this many times the pool's connections wait for one (a request
   * admitted then would queue towards the connect timeout); 0 turns that check off.
   */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(100)
  GATE_POOL_QUEUE_FACTOR = 1;

  /**
   * Which proxies may tell the client's address (X-Forwarded-For) and scheme (X-Forwarded-Proto): a hop
   * count ("1": the one proxy in front), or a comma-separated list of addresses, CIDR ranges and the names
   * loopback, linklocal, uniquelocal. Never "any": a client could then pick the address the login
   * throttle counts it under. "none": trust no proxy (the api faces clients directly).
   */
  @Matches(/^(\d{1,2}|[\w.:/]+(,\s*[\w.:/]+)*)$/, {
    message:
      'must be a hop count or a comma-separated list of addresses, CIDR ranges, loopback, linklocal or uniquelocal',
  })
  TRUST_PROXY = 'loopback';

  /** Failed staff logins per username and client address answered at once; after them each try waits LOGIN_DELAY_BASE_S, doubling. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(100)
  LOGIN_FREE_FAILURES = 5;

  /** The first wait, in seconds, once a username and address have used their free failures. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(3600)
  LOGIN_DELAY_BASE_S = 15;

  /** The longest wait between two login tries of one username from one address, in seconds. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(86400)
  LOGIN_DELAY_MAX_S = 900;

  /**
   * Failed logins of one username from all addresses within LOGIN_FAILURE_WINDOW_S past which the
   * username is under attack: each further address gets one free failure instead of LOGIN_FREE_FAILURES,
   * and a warning is logged. An address without failures is never slowed.
   */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1000000)
  LOGIN_USERNAME_FAILURE_CEILING = 50;

  /** Seconds over which failed logins are counted (since the last one). */
  @Transform(toInt)
  @IsInt()
  @Min(60)
  @Max(7 * 86400)
  LOGIN_FAILURE_WINDOW_S = 3600;

  /** max-age of Strict-Transport-Security, sent only on requests that came over HTTPS; 0: never sent. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(2 * 365 * 86400)
  HSTS_MAX_AGE_S = 31536000;

  /** Most claims, or redemptions, committed to Postgres in one statement (group commit). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(5000)
  GROUP_COMMIT_BATCH_MAX = 500;

  /**
   * Batches committing at the same time, per writer (claims, redemptions) and api process. One: batches of
   * one hot round (or campaign budget) update the same row, so a second batch in flight only waits for the
   * first one's lock, and splitting the claims into smaller batches costs Postgres more per claim.
   */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(16)
  GROUP_COMMIT_CONCURRENCY = 1;

  /**
   * How old, in milliseconds, a person's last claim decision in Redis must be before a refusal with
   * LIMIT_REACHED checks their counts against Postgres and gives back claims that never committed (their
   * api died between the decision and the commit). A claim not sent to Postgres within this less 10 s
   * is answered 503 and given back instead, so a decision older than this has committed, been given back
   * or died with its api.
   */
  @Transform(toInt)
  @IsInt()
  @Min(20000)
  @Max(3600000)
  CLAIM_UNCOMMITTED_AFTER_MS = 60000;

  /** Seconds a voucher's QR token stays valid (a screenshot shared later is useless). */
  @Transform(toInt)
  @IsInt()
  @Min(10)
  @Max(60)
  QR_TOKEN_TTL_S = 60;

  /** Business days after its own on which a redemption may still be reversed (0: the same business day only). */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(30)
  REVERSAL_WINDOW_DAYS = 0;

  /** Repeat interval of the worker heartbeat job, in milliseconds. */
  @Transform(toInt)
  @IsInt()
  @Min(1000)
  @Max(3600000)
  WORKER_HEARTBEAT_MS = 30000;

  /** How often the worker's campaign clock starts and ends campaigns whose window began or is over, in milliseconds. */
  @Transform(toInt)
  @IsInt()
  @Min(1000)
  @Max(3600000)
  CAMPAIGN_CLOCK_MS = 60000;

  /** How often the worker's outbox relay moves committed outbox rows onto the settlement queue, in milliseconds. */
  @Transform(toInt)
  @IsInt()
  @Min(100)
  @Max(60000)
  OUTBOX_RELAY_MS = 1000;

  /** Most outbox rows relayed per transaction. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(10000)
  OUTBOX_RELAY_BATCH = 500;

  /** How often the worker expires vouchers past validity and rolls value and unclaimed stock forward, in milliseconds. */
  @Transform(toInt)
  @IsInt()
  @Min(1000)
  @Max(3600000)
  EXPIRY_MS = 60000;

  /**
   * How long after a voucher's valid_until (and a round's close) expiry and roll-forward wait, in milliseconds,
   * so a redemption or claim in flight at the boundary is never overtaken.
   */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(86400000)
  EXPIRY_GRACE_MS = 600000;

  /** When the previous business day is settled: a cron pattern (minute hour day month weekday) in Asia/Shanghai. */
  @Matches(CRON_PATTERN, { message: 'must be a five-field cron pattern such as "0 2 * * *"' })
  SETTLEMENT_CRON = '0 2 * * *';

  /** Merchants settled per transaction: a killed run loses at most one such chunk, which the retry redoes. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(10000)
  SETTLEMENT_MERCHANTS_PER_CHUNK = 100;

  /** Lottery winners given their vouchers per transaction: a killed draw loses at most one such chunk, which the next tick redoes. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(100000)
  LOTTERY_WINNERS_PER_CHUNK = 1000;

  /** How often the worker writes the audit chain's head into the log as an anchor entry, in milliseconds (skipped while nothing new was logged). */
  @Transform(toInt)
  @IsInt()
  @Min(1000)
  @Max(86400000)
  AUDIT_ANCHOR_MS = 3600000;

  /** When the reconciliation runs: a cron pattern in Asia/Shanghai. */
  @Matches(CRON_PATTERN, { message: 'must be a five-field cron pattern such as "30 3 * * *"' })
  RECONCILIATION_CRON = '30 3 * * *';
}

/** Used only outside production, so a fresh checkout runs without secrets; production must set its own. */
const DEVELOPMENT_JWT_SECRET = 'development-only-secret-do-not-use-in-production';
const DEVELOPMENT_PII_HASH_KEY = 'development-only-pii-hash-key-do-not-use-in-production';
const DEVELOPMENT_DATA_KEYS = `dev1:${Buffer.from('development-only-data-key-32byte').toString('base64')}`;

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    reason: string,
  ) {
    super(`Invalid configuration: ${variable} ${reason}`);
    this.name = 'ConfigError';
  }
}

function firstReason(error: ValidationError): string {
  const messages = Object.values(error.constraints ?? {});
  return messages[0] ?? 'is invalid';
}

/**
 * Builds the configuration from an environment (process.env by default). Unknown variables are
 * ignored; empty strings count as unset. Throws ConfigError naming the first bad variable.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const keys = Object.keys(new AppConfig()) as (keyof AppConfig)[];
  const plain: Record<string, string> = {};
  for (const key of keys) {
    const value = env[key];
    if (value !== undefined && value !== '') plain[key] = value;
  }
  const config = plainToInstance(AppConfig, plain, { exposeDefaultValues: true });
  const errors = validateSync(config, { forbidUnknownValues: true });
  if (errors.length > 0) {
    const error = errors.sort(
      (a, b) => keys.indexOf(a.property as keyof AppConfig) - keys.indexOf(b.property as keyof AppConfig),
    )[0];
    throw new ConfigError(error.property, firstReason(error));
  }
  const dataKeys = parseDataKeys(config.DATA_KEYS);
  if (dataKeys.size !== config.DATA_KEYS.split(',').length) throw new ConfigError('DATA_KEYS', 'names a key id twice');
  if (!dataKeys.has(config.DATA_KEY_CURRENT))
    throw new ConfigError('DATA_KEY_CURRENT', 'must be the id of one of DATA_KEYS');
  if (config.GATE_MIN_CONCURRENCY > config.GATE_MAX_CONCURRENCY)
    throw new ConfigError('GATE_MIN_CONCURRENCY', 'must not exceed GATE_MAX_CONCURRENCY');
  if (
    config.GATE_INITIAL_CONCURRENCY < config.GATE_MIN_CONCURRENCY ||
    config.GATE_INITIAL_CONCURRENCY > config.GATE_MAX_CONCURRENCY
  ) {
    throw new ConfigError('GATE_INITIAL_CONCURRENCY', 'must lie between GATE_MIN_CONCURRENCY and GATE_MAX_CONCURRENCY');
  }
  if (config.NODE_ENV === 'production') {
    if (config.JWT_SECRET === DEVELOPMENT_JWT_SECRET) throw new ConfigError('JWT_SECRET', 'must be set in production');
    if (config.PII_HASH_KEY === DEVELOPMENT_PII_HASH_KEY)
      throw new ConfigError('PII_HASH_KEY', 'must be set in production');
    if (config.AUTH_DEV_OTP) throw new ConfigError('AUTH_DEV_OTP', 'must not be set in production');
    if (config.DATA_KEYS.includes(DEVELOPMENT_DATA_KEYS))
      throw new ConfigError('DATA_KEYS', 'must not contain the development key in production');
    if (config.IDENTITY_VERIFIER === 'checksum') {
      throw new ConfigError(
        'IDENTITY_VERIFIER',
        'must name a real-name verification provider in production (checksum is for development and tests)',
      );
    }
  }
  if (config.LOGIN_DELAY_MAX_S > config.LOGIN_FAILURE_WINDOW_S) {
    throw new ConfigError(
      'LOGIN_DELAY_MAX_S',
      'must not exceed LOGIN_FAILURE_WINDOW_S (the count would lapse before the wait)',
    );
  }
  return Object.freeze(config);
}

/** For entry points: load the configuration or print one line naming the bad variable and exit 1. */
export function loadConfigOrExit(env: NodeJS.ProcessEnv = process.env): AppConfig {
  try {
    return loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
}

/** Where reports and reconciliation read: DATABASE_READ_URL, or the primary when none is set. */
export function readDatabaseUrl(config: AppConfig): string {
  return config.DATABASE_READ_URL ?? config.DATABASE_URL;
}

/** A copy of a configuration with some values replaced (for tests and tools that provision services). */
export function configWith(config: AppConfig, overrides: Partial<AppConfig>): AppConfig {
  return Object.freeze(Object.assign(new AppConfig(), config, overrides));
}
