import { Pool } from 'pg';
import { DataSource } from 'typeorm';
import { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';

/**
 * Runs one of the hot path's statements as a named prepared statement on TypeORM's own pool: Postgres
 * plans it once per connection instead of on every call (a join of four tables costs about 0.3 ms of
 * planning each time). Errors are pg's own (with `code` and `constraint`), as TypeORM's carry.
 */
export async function queryPrepared<T>(dataSource: DataSource, name: string, text: string, values: unknown[]): Promise<T[]> {
  const pool = (dataSource.driver as PostgresDriver).master as Pool;
  const result = await pool.query({ name, text, values });
  return result.rows as T[];
}
