import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, openSync, readdirSync, realpathSync, symlinkSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { ChildProcess, spawnSync } from 'node:child_process';
import Redis from 'ioredis';
import { Client } from 'pg';
import { AppConfig } from '@quan/config';
import { databaseName, withDatabaseName } from '@quan/data';
import { waitUntil } from '@quan/platform';
import { startChild, which } from './processes';

export const ROOT = join(__dirname, '..', '..', '..');
export const DATA_DIR = join(ROOT, '.data');

export class ProvisioningError extends Error {}

export function say(message: string): void {
  process.stdout.write(`› ${message}\n`);
}

/** Whether Postgres answers at `url`; with `dataDirectory`, whether it is the server of that cluster. */
async function postgresAnswers(url: string, dataDirectory?: string): Promise<boolean> {
  const client = new Client({ connectionString: withDatabaseName(url, 'postgres'), connectionTimeoutMillis: 1500 });
  try {
    await client.connect();
    if (dataDirectory === undefined) return (await client.query('SELECT 1')).rowCount === 1;
    return (
      (await client.query<{ data_directory: string }>('SHOW data_directory')).rows[0].data_directory === dataDirectory
    );
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Whether Redis answers at `url`; with `dir`, whether it is the server keeping its data there. */
async function redisAnswers(url: string, dir?: string): Promise<boolean> {
  const redis = new Redis(url, {
    lazyConnect: true,
    connectTimeout: 1000,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    enableOfflineQueue: false,
  });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    if ((await redis.ping()) !== 'PONG') return false;
    return dir === undefined || ((await redis.config('GET', 'dir')) as string[])[1] === dir;
  } catch {
    return false;
  } finally {
    redis.disconnect();
  }
}

async function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/**
 * Starts a project-local server on this checkout's stable port (so printed URLs stay the same), or the next
 * free one; `ours` tells the server of our data directory from any other. One already running for our
 * data directory (another tool of this checkout started it) is used, never a second one on the same files.
 * Another process can take a port between the check and the bind (a second test file provisioning at the
 * same moment): our server then exits, and the port is looked at again, then the next one.
 */
async function startOnFreePort(
  name: string,
  base: number,
  start: (port: number) => ChildProcess,
  ours: (port: number) => Promise<boolean>,
): Promise<number> {
  const first = base + (createHash('sha1').update(ROOT).digest().readUInt16BE(0) % 500);
  for (let port = first; port < first + 50; port += 1) {
    if (await ours(port)) return port;
    if (!(await portIsFree(port))) continue;
    let exited = false;
    start(port).once('exit', () => (exited = true));
    await waitUntil(`the project-local ${name} answering`, async () => exited || (await ours(port)));
    if (!exited || (await ours(port))) return port;
  }
  throw new ProvisioningError(
    `could not start a project-local ${name} on ports ${first}–${first + 49}; its log is in the data directory`,
  );
}

const isRoot = () => process.getuid?.() === 0;

function aptInstall(pkg: string): void {
  say(`installing ${pkg} with apt-get`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  spawnSync('apt-get', ['update'], { stdio: 'inherit', env });
  const install = spawnSync('apt-get', ['install', '-y', '--no-install-recommends', pkg], { stdio: 'inherit', env });
  if (install.status !== 0) throw new ProvisioningError(`apt-get install ${pkg} failed`);
}

/** Finds a binary, installing its Debian package first when running as root; `missing` says what is wrong without it. */
function requireBinary(find: () => string | undefined, pkg: string, missing: string, orElse = ''): string {
  const found = find();
  if (found) return found;
  if (isRoot() && which('apt-get')) {
    aptInstall(pkg);
    const installed = find();
    if (installed) return installed;
  }
  throw new ProvisioningError(`${missing}: install it (sudo apt-get install ${pkg})${orElse}`);
}

const serverMissing = (name: string) => `${name} is not running and its server is not installed`;
const OR_POINT_THE_URL = ' or point the URL variable at a running server';

const CJK_FONT = '/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc';

/**
 * Debian's Chromium at `path`, for the browser tests and the web bench (playwright-core drives it and
 * downloads no browser). The path comes from @quan/testing, which this module, loaded by the image's
 * migrate command, must not import.
 */
export function ensureChromium(path: string): string {
  const chromium = requireBinary(
    () => (existsSync(path) ? path : undefined),
    'chromium',
    'Chromium, which the browser tests drive, is not installed',
  );
  // Without a CJK font the screens' Chinese renders as empty boxes in screenshots; the tests pass either way.
  if (!existsSync(CJK_FONT) && isRoot() && which('apt-get')) aptInstall('fonts-wqy-zenhei');
  return chromium;
}

/** promtool, which checks the alert rules in npm test; Debian ships it in the prometheus package. */
export function ensurePromtool(): string {
  return requireBinary(
    () => which('promtool'),
    'prometheus',
    'promtool, which checks the alert rules, is not installed',
  );
}

function postgresBinDir(): string | undefined {
  const candidates: string[] = [];
  const base = '/usr/lib/postgresql';
  if (existsSync(base)) {
    for (const version of readdirSync(base).sort((a, b) => Number(b) - Number(a)))
      candidates.push(join(base, version, 'bin'));
  }
  const onPath = which('initdb');
  if (onPath) candidates.push(join(realpathSync(onPath), '..'));
  return candidates.find((dir) => existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'postgres')));
}

/** Runs a command as the `postgres` system user when we are root (Postgres refuses to run as root). */
function asPostgresUser(command: string, args: string[]): [string, string[]] {
  return isRoot() ? ['runuser', ['-u', 'postgres', '--', command, ...args]] : [command, args];
}

/**
 * The project-local cluster lives in .data/postgres. As root it belongs to the `postgres` user; when that
 * user cannot reach the checkout (e.g. under /root), the cluster lives in /var/lib/quan/postgres-HASH and .data links to it.
 */
function postgresDataDir(dataDir: string): string {
  const local = join(dataDir, 'postgres');
  if (existsSync(local)) return realpathSync(local);
  if (!isRoot()) return local;
  mkdirSync(dataDir, { recursive: true });
  if (spawnSync('runuser', ['-u', 'postgres', '--', 'test', '-x', dataDir]).status === 0) return local;
  const elsewhere = join('/var/lib/quan', `postgres-${createHash('sha1').update(dataDir).digest('hex').slice(0, 12)}`);
  mkdirSync(elsewhere, { recursive: true });
  symlinkSync(elsewhere, local);
  return elsewhere;
}

async function startLocalPostgres(config: AppConfig, dataDir: string): Promise<string> {
  const bin = requireBinary(postgresBinDir, 'postgresql', serverMissing('Postgres'), OR_POINT_THE_URL);
  if (isRoot() && spawnSync('id', ['postgres']).status !== 0) {
    spawnSync('useradd', ['--system', '--home-dir', '/var/lib/postgresql', '--shell', '/bin/sh', 'postgres'], {
      stdio: 'inherit',
    });
  }
  const dir = postgresDataDir(dataDir);
  mkdirSync(dir, { recursive: true });
  if (isRoot()) spawnSync('chown', ['-R', 'postgres:postgres', dir]);
  if (!existsSync(join(dir, 'PG_VERSION'))) {
    say(`initialising a project-local Postgres cluster in ${dir}`);
    const [cmd, args] = asPostgresUser(join(bin, 'initdb'), [
      '-D',
      dir,
      '-U',
      'postgres',
      '--auth=trust',
      '--encoding=UTF8',
      '--locale=C.UTF-8',
    ]);
    const init = spawnSync(cmd, args, { stdio: 'inherit' });
    if (init.status !== 0) throw new ProvisioningError('initdb failed');
  }
  const log = openSync(join(dataDir, 'postgres.log'), 'a');
  const port = await startOnFreePort(
    'Postgres',
    54000,
    (candidate) => {
      const [cmd, args] = asPostgresUser(join(bin, 'postgres'), [
        '-D',
        dir,
        '-p',
        String(candidate),
        '-k',
        '/tmp',
        '-c',
        'listen_addresses=127.0.0.1',
      ]);
      return startChild(cmd, args, { stdio: ['ignore', log, log] });
    },
    (candidate) => postgresAnswers(`postgres://postgres@127.0.0.1:${candidate}/postgres`, dir),
  );
  say(`project-local Postgres on 127.0.0.1:${port} (data and log in ${dataDir})`);
  return `postgres://postgres@127.0.0.1:${port}/${databaseName(config.DATABASE_URL)}`;
}

async function startLocalRedis(dataDir: string): Promise<string> {
  const bin = requireBinary(
    () => which('redis-server') ?? (existsSync('/usr/bin/redis-server') ? '/usr/bin/redis-server' : undefined),
    'redis-server',
    serverMissing('Redis'),
    OR_POINT_THE_URL,
  );
  const dir = join(dataDir, 'redis');
  mkdirSync(dir, { recursive: true });
  const log = openSync(join(dataDir, 'redis.log'), 'a');
  const port = await startOnFreePort(
    'Redis',
    56000,
    (candidate) =>
      startChild(
        bin,
        ['--port', String(candidate), '--bind', '127.0.0.1', '--dir', dir, '--appendonly', 'yes', '--save', ''],
        { stdio: ['ignore', log, log] },
      ),
    (candidate) => redisAnswers(`redis://127.0.0.1:${candidate}`, realpathSync(dir)),
  );
  say(`project-local Redis on 127.0.0.1:${port} (AOF and log in ${dataDir})`);
  return `redis://127.0.0.1:${port}`;
}

/** Provisioning is for development machines; in production an unreachable server is an error. */
function refuseInProduction(config: AppConfig, variable: string, url: string): void {
  if (config.NODE_ENV === 'production') {
    throw new ProvisioningError(
      `${variable} (${new URL(url).host}) does not answer; with NODE_ENV=production nothing is provisioned`,
    );
  }
}

/** Uses DATABASE_URL when it answers; otherwise starts a project-local Postgres under `dataDir`. */
export async function ensurePostgres(config: AppConfig, dataDir = DATA_DIR): Promise<string> {
  if (await postgresAnswers(config.DATABASE_URL)) {
    say(`Postgres answers at ${new URL(config.DATABASE_URL).host}`);
    return config.DATABASE_URL;
  }
  say(`Postgres does not answer at ${new URL(config.DATABASE_URL).host}`);
  refuseInProduction(config, 'DATABASE_URL', config.DATABASE_URL);
  return startLocalPostgres(config, dataDir);
}

/** Uses REDIS_URL when it answers; otherwise starts a project-local Redis (AOF on) under `dataDir`. */
export async function ensureRedis(config: AppConfig, dataDir = DATA_DIR): Promise<string> {
  if (await redisAnswers(config.REDIS_URL)) {
    say(`Redis answers at ${new URL(config.REDIS_URL).host}`);
    return config.REDIS_URL;
  }
  say(`Redis does not answer at ${new URL(config.REDIS_URL).host}`);
  refuseInProduction(config, 'REDIS_URL', config.REDIS_URL);
  return startLocalRedis(dataDir);
}

/**
 * Uses DATABASE_URL and REDIS_URL when they answer; otherwise starts project-local servers under `dataDir`
 * (installing the Debian packages first when running as root). Returns the URLs to use.
 */
export async function ensureServices(
  config: AppConfig,
  dataDir = DATA_DIR,
): Promise<{ databaseUrl: string; redisUrl: string }> {
  return { databaseUrl: await ensurePostgres(config, dataDir), redisUrl: await ensureRedis(config, dataDir) };
}
