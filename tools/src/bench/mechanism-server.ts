import { once } from 'node:events';
import Fastify from 'fastify';
import { Pool } from 'pg';
import { loadConfigOrExit } from '@quan/config';
import { createRedisClient, GroupCommit, RedisKeys } from '@quan/data';
import { timeOrderedUuid } from '@quan/domain';

/**
 * The durable claim's mechanism alone: one Lua script checks the person and takes one from the stock, and
 * the answer waits for a group commit of one-row INSERTs (a prepared statement, time-ordered ids, as the
 * api's). It uses Quan's Redis client and GroupCommit, without a token, validation, a round or vouchers:
 * what this host allows a claim that answers after its commit, against which the api's figure is read.
 * Port from argv; Postgres and Redis from the environment.
 */
const config = loadConfigOrExit();
const pool = new Pool({ connectionString: config.DATABASE_URL, max: 4 });
const redis = createRedisClient(config, 'bench-mechanism');
const keys = new RedisKeys(config.REDIS_KEY_PREFIX);
const [stockKey, personsKey] = [keys.key('mechanism', 'stock'), keys.key('mechanism', 'persons')];
redis.defineCommand('mechanismClaim', {
  numberOfKeys: 2,
  lua: `if redis.call('SISMEMBER', KEYS[2], ARGV[1]) == 1 then return -1 end
        if redis.call('DECR', KEYS[1]) < 0 then redis.call('INCR', KEYS[1]) return -2 end
        redis.call('SADD', KEYS[2], ARGV[1])
        return 1`,
});
const claimScript = (
  redis as unknown as { mechanismClaim(stock: string, persons: string, resident: string): Promise<number> }
).mechanismClaim.bind(redis);

const group = new GroupCommit<{ id: string; resident: string }>(
  async (claims) => {
    await pool.query({
      name: 'mechanism-claim',
      text: 'INSERT INTO bench_mechanism_claims (id, resident) SELECT * FROM unnest($1::uuid[], $2::text[])',
      values: [claims.map((claim) => claim.id), claims.map((claim) => claim.resident)],
    });
  },
  config,
  // One-row INSERTs refuse nothing: a failed batch fails as a whole.
  { failsEveryItem: () => true, refusals: {} },
);

const app = Fastify({ logger: false });
app.post<{ Body: { resident: string } }>('/claim', async (request, reply) => {
  const decided = await claimScript(stockKey, personsKey, request.body.resident);
  if (decided < 0) return reply.status(409).send({ code: decided === -1 ? 'LIMIT_REACHED' : 'SOLD_OUT' });
  const id = timeOrderedUuid();
  await group.write({ id, resident: request.body.resident });
  return reply.status(201).send({ claimId: id });
});

void (async () => {
  await pool.query(
    'CREATE TABLE IF NOT EXISTS bench_mechanism_claims (id uuid PRIMARY KEY, resident text NOT NULL, at timestamptz NOT NULL DEFAULT now())',
  );
  // The request-path client queues nothing before it is connected; an error while connecting is retried.
  while (redis.status !== 'ready') await once(redis, 'ready').catch(() => undefined);
  await redis.set(stockKey, 100_000_000);
  await app.listen({ port: Number(process.argv[2]), host: '127.0.0.1' });
})();
