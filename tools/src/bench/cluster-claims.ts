import { configWith } from '@quan/config';
import { roundKey } from '@quan/counters';
import { ClaimFixture, createClaimFixture, OwnRedisCluster } from '@quan/testing';
import { benchEnvironment } from './environment';
import { inTurn, load } from './load';
import { say } from '../services';

const SECONDS = 10;
const CONNECTIONS = 50;
const RESIDENTS = 120_000;
const MASTERS = 3;
const SELL_OUT_STOCK = 2_000;
const SELL_OUT_RESIDENTS = 10_000;

/**
 * `npm run bench:claim -- --cluster`: the durable claim load against a local Redis Cluster (3 masters, a
 * replica each, started for the run), with one hot round per master (campaigns created until their slots
 * fall on different masters), a different resident per request, then a sell-out on the cluster. Prints
 * claims per second per master and in total, oversell and lostAcked, and a last line of JSON.
 */
export async function benchClaimsOnCluster(): Promise<void> {
  const cluster = await OwnRedisCluster.start({ masters: MASTERS, nodeTimeoutMs: 5000 });
  const env = await benchEnvironment(`${RESIDENTS.toLocaleString()} verified residents, a round per cluster master`);
  try {
    const config = configWith(env.config, { REDIS_CLUSTER_NODES: cluster.seeds });
    const { dataSource } = env;
    // Residents are not tied to a campaign: the first fixture's claim every hot round.
    const first = await createClaimFixture(dataSource, config, { stock: 10_000_000, residents: RESIDENTS });
    const hot = new Map<number, ClaimFixture>();
    for (let fixture = first; hot.size < MASTERS;) {
      const master = await cluster.masterOf(roundKey(config.REDIS_KEY_PREFIX, fixture.campaignId, fixture.roundId));
      if (!hot.has(master)) hot.set(master, fixture);
      fixture = await createClaimFixture(dataSource, config, { stock: 10_000_000, residents: 0 });
    }
    const sellOut = await createClaimFixture(dataSource, config, {
      stock: SELL_OUT_STOCK,
      residents: SELL_OUT_RESIDENTS,
    });
    const api = await env.startApi({ REDIS_CLUSTER_NODES: cluster.seeds });

    const acked = new Set<string>();
    let unreadable = 0;
    const CLAIM_ID = /"claimId":"([^"]+)"/;
    const claimLoad = (rounds: ClaimFixture[], residents: { take(): { token: string } }, seconds: number) => {
      const bodies = rounds.map((round) => JSON.stringify({ offerId: round.offerId }));
      let next = 0;
      return load({
        url: `${api}/rounds/${rounds[0].roundId}/claims`,
        seconds,
        connections: CONNECTIONS,
        next: () => {
          const index = next++ % rounds.length;
          return {
            body: bodies[index],
            path: `/api/v1/rounds/${rounds[index].roundId}/claims`,
            headers: { authorization: `Bearer ${residents.take().token}` },
          };
        },
        onResponse: (status, answer) => {
          if (status !== 201) return;
          const claimId = CLAIM_ID.exec(answer)?.[1];
          if (claimId) acked.add(claimId);
          else unreadable += 1;
        },
      });
    };

    const rounds = [...hot.values()];
    say('warming up the claim path on the cluster');
    await claimLoad(rounds, inTurn(first.residents.slice(-20_000), 'residents'), 2);
    const perRoundBefore = await claimsPerRound(dataSource, rounds);
    say(`durable claims on the cluster: ${SECONDS} s, ${CONNECTIONS} connections, rounds on ${MASTERS} masters`);
    const claimants = inTurn(first.residents.slice(0, -20_000), 'residents');
    const claims = await claimLoad(rounds, claimants, SECONDS);
    const perRoundAfter = await claimsPerRound(dataSource, rounds);
    say('sell-out on the cluster: a round of ' + SELL_OUT_STOCK.toLocaleString());
    await claimLoad([sellOut], inTurn(sellOut.residents, 'residents'), 3);

    const [{ oversold }] = (await dataSource.query(
      `SELECT greatest(0, count(*) - $2)::int AS oversold FROM claims WHERE round_id = $1`,
      [sellOut.roundId, SELL_OUT_STOCK],
    )) as { oversold: number }[];
    const [{ found }] = (await dataSource.query(
      `SELECT count(*)::int AS found FROM claims WHERE id = ANY($1::uuid[])`,
      [[...acked]],
    )) as { found: number }[];
    const perMaster = Object.fromEntries(
      [...hot.keys()].map((port, index) => [
        `127.0.0.1:${port}`,
        Math.round((perRoundAfter[index] - perRoundBefore[index]) / SECONDS),
      ]),
    );
    const figures = {
      cluster: true,
      masters: MASTERS,
      claimsPerSec: claims.okPerSec,
      claimsPerSecPerMaster: perMaster,
      p50Ms: claims.p50Ms,
      p99Ms: claims.p99Ms,
      oversell: oversold,
      lostAcked: acked.size + unreadable - found,
    };
    process.stdout.write(`
  durable claims on a Redis Cluster of ${MASTERS} masters (a replica each), ${SECONDS} s, ${CONNECTIONS} connections
${Object.entries(perMaster)
  .map(([master, perSec]) => `    master ${master}: ${perSec} claims/s`)
  .join('\n')}
    total: ${claims.okPerSec} claims/s (p50 ${claims.p50Ms} ms, p99 ${claims.p99Ms} ms; ${claims.non2xx} non-2xx, ${claims.errors} errors)
  claims acknowledged: ${acked.size + unreadable}, found in Postgres: ${found}; sell-out round of ${SELL_OUT_STOCK}: oversold ${oversold}

${JSON.stringify(figures)}
`);
  } finally {
    await env.dispose();
    cluster.stop();
  }
}

/** Committed claims of each round, in order. */
async function claimsPerRound(
  dataSource: { query(sql: string, parameters: unknown[]): Promise<unknown> },
  rounds: ClaimFixture[],
): Promise<number[]> {
  const rows = (await dataSource.query(
    `SELECT round_id, count(*)::int AS n FROM claims WHERE round_id = ANY($1::uuid[]) GROUP BY 1`,
    [rounds.map((round) => round.roundId)],
  )) as { round_id: string; n: number }[];
  return rounds.map((round) => rows.find((row) => row.round_id === round.roundId)?.n ?? 0);
}
