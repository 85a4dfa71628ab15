import { DatabaseError, Pool } from 'pg';
import { DataSource } from 'typeorm';
import { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import { StatementNotSent } from './db-errors';

/**
 * Runs one of the hot path's statements as a named prepared statement on TypeORM's own pool: Postgres
 * plans it once per connection instead of on every call (planning a join of four tables is dear; see
 * docs/benchmarks.md). Errors are pg's own (with `code` and `constraint`), as TypeORM's carry, or a
 * StatementNotSent when no connection could be had.
 */
export async function queryPrepared<T>(
  dataSource: DataSource,
  name: string,
  text: string,
  values: unknown[],
): Promise<T[]> {
  const pool = (dataSource.driver as PostgresDriver).master as Pool;
  // Taken apart from the query, so a failure to connect is known not to have sent the statement.
  const client = await pool.connect().catch((error: unknown) => {
    throw new StatementNotSent(error);
  });
  // A dropped connection is also emitted as an event on the client; the query fails with it, so it needs no handling.
  const failsTheQuery = () => undefined;
  client.on('error', failsTheQuery);
  try {
    const { rows } = await client.query({ name, text, values });
    client.release();
    return rows as T[];
  } catch (error) {
    // A connection is reused after Postgres refused a statement (a constraint, a cancellation: it answered),
    // and closed after any other failure (a timeout, a dropped connection), when it may be broken.
    client.release(error instanceof DatabaseError ? undefined : (error as Error));
    throw error;
  } finally {
    client.removeListener('error', failsTheQuery);
  }
}
