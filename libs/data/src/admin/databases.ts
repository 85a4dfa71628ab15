import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { AppConfig, configWith } from '@quan/config';

/** The database name in a postgres:// URL. */
export function databaseName(url: string): string {
  return new URL(url).pathname.slice(1);
}

export function withDatabaseName(url: string, name: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${name}`;
  return parsed.toString();
}

/** Runs SQL against the server's maintenance database (CREATE/DROP DATABASE cannot run elsewhere). */
export async function onServer<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: withDatabaseName(url, 'postgres'), connectionTimeoutMillis: 2000 });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** Creates the database of `url` (optionally as a copy of `template`) unless it exists; true if it created it. */
export async function createDatabaseIfMissing(url: string, template?: string): Promise<boolean> {
  const name = databaseName(url);
  return onServer(url, async (client) => {
    const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (exists.rowCount) return false;
    const from = template ? ` TEMPLATE ${quoteIdent(template)}` : '';
    await client.query(`CREATE DATABASE ${quoteIdent(name)}${from}`);
    return true;
  });
}

export async function dropDatabase(url: string): Promise<void> {
  await onServer(url, (client) =>
    client.query(`DROP DATABASE IF EXISTS ${quoteIdent(databaseName(url))} WITH (FORCE)`),
  );
}

/** Creates a throw-away database next to the configured one, runs `work` against it, drops it. */
export async function withScratchDatabase<T>(
  config: AppConfig,
  label: string,
  work: (scratch: AppConfig) => Promise<T>,
): Promise<T> {
  const url = withDatabaseName(
    config.DATABASE_URL,
    `${databaseName(config.DATABASE_URL)}_${label}_${randomBytes(4).toString('hex')}`,
  );
  await createDatabaseIfMissing(url);
  try {
    return await work(configWith(config, { DATABASE_URL: url }));
  } finally {
    await dropDatabase(url);
  }
}
