import Fastify from 'fastify';
import { Pool } from 'pg';

/**
 * The conventional claim for comparison: SELECT … FOR UPDATE on a stock row, insert, update, commit,
 * one transaction per request. Port and database URL from argv.
 */
const [port, databaseUrl] = [Number(process.argv[2]), process.argv[3]];
const pool = new Pool({ connectionString: databaseUrl, max: 20 });
const app = Fastify({ logger: false });

app.post<{ Body: { resident: string } }>('/claim', async (request, reply) => {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const { rows } = await client.query<{ stock: number; issued: number }>(
      'SELECT stock, issued FROM bench_stock WHERE id = 1 FOR UPDATE',
    );
    if (rows[0].issued >= rows[0].stock) {
      await client.query('ROLLBACK');
      return reply.status(409).send({ code: 'SOLD_OUT' });
    }
    await client.query('INSERT INTO bench_claims (resident) VALUES ($1)', [request.body.resident]);
    await client.query('UPDATE bench_stock SET issued = issued + 1 WHERE id = 1');
    await client.query('COMMIT');
    return reply.status(201).send({ ok: true });
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
});

void (async () => {
  await pool.query(
    'CREATE TABLE IF NOT EXISTS bench_stock (id int PRIMARY KEY, stock int NOT NULL, issued int NOT NULL)',
  );
  await pool.query(
    'CREATE TABLE IF NOT EXISTS bench_claims (id bigserial PRIMARY KEY, resident text NOT NULL, at timestamptz NOT NULL DEFAULT now())',
  );
  await pool.query('INSERT INTO bench_stock VALUES (1, 100000000, 0) ON CONFLICT (id) DO UPDATE SET issued = 0');
  await app.listen({ port, host: '127.0.0.1' });
})();
