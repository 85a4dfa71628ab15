import { createClaimFixture, freePort } from '@quan/testing';
import { benchClaimsOnCluster } from './bench/cluster-claims';
import { benchEnvironment, compiled, startServer } from './bench/environment';
import { inTurn, load, resultTable } from './bench/load';
import { stopChildren, withApiNodeOptions } from './processes';
import { runTool } from './run-tool';
import { say } from './services';

const SECONDS = 10;
const CONNECTIONS = 50;
const RESIDENTS = 170_000;
/** Enough for two seconds of the warm-up on a fast host, so it warms the path of a first claim. */
const WARM_UP_RESIDENTS = 30_000;
const SELL_OUT_STOCK = 2_000;
const SELL_OUT_RESIDENTS = 10_000;

/**
 * `npm run bench:claim`: the durable claim path against the HTTP floor, the claim mechanism alone (what
 * this host can do at best) and a conventional row-lock claim, all loaded from this machine with
 * autocannon (50 connections). Prints a table, the claim load's slowest, median and fastest second, a
 * warning if a load ran past its residents, and a last line of JSON. With --cluster: the claim load on a local
 * Redis Cluster instead (bench/cluster-claims.ts).
 */
runTool(async () => {
  if (process.argv.includes('--cluster')) return benchClaimsOnCluster();
  const env = await benchEnvironment(`${RESIDENTS.toLocaleString()} verified residents, two rounds`);
  const { config: bench, dataSource } = env;
  try {
    const surge = await createClaimFixture(dataSource, bench, { stock: 10_000_000, residents: RESIDENTS });
    const sellOut = await createClaimFixture(dataSource, bench, {
      stock: SELL_OUT_STOCK,
      residents: SELL_OUT_RESIDENTS,
    });

    const api = await env.startApi();
    const [floorPort, mechanismPort, rowLockPort] = [await freePort(), await freePort(), await freePort()];

    const acked = new Set<string>();
    let unreadable = 0;
    /** Answers other than 201 by status and problem code, so a run with refusals says which. */
    const refused = new Map<string, number>();
    const CODE = /"code":"([A-Z_]+)"/;
    // The load generator shares the two cores with what it loads: it reads only the claim id of an answer.
    const CLAIM_ID = /"claimId":"([^"]+)"/;
    const claimLoad = (fixture: typeof surge, residents: { take(): { token: string } }, seconds: number) => {
      const body = JSON.stringify({ offerId: fixture.offerId });
      return load({
        url: `${api}/rounds/${fixture.roundId}/claims`,
        seconds,
        connections: CONNECTIONS,
        next: () => ({ body, headers: { authorization: `Bearer ${residents.take().token}` } }),
        onResponse: (status, answer) => {
          if (status !== 201) {
            const refusal = `${status} ${CODE.exec(answer)?.[1] ?? ''}`.trim();
            refused.set(refusal, (refused.get(refusal) ?? 0) + 1);
            return;
          }
          const claimId = CLAIM_ID.exec(answer)?.[1];
          // A 201 without a claim id counts as acknowledged and lost.
          if (claimId) acked.add(claimId);
          else unreadable += 1;
        },
      });
    };

    // The comparison servers take a resident's number in the body, a new one per request.
    const numberedResidentsLoad = (url: string) => {
      let resident = 0;
      return load({
        url,
        seconds: SECONDS,
        connections: CONNECTIONS,
        next: () => ({ body: JSON.stringify({ resident: String(resident++) }), headers: {} }),
      });
    };

    say('warming up the claim path');
    const warmUp = inTurn(surge.residents.slice(-WARM_UP_RESIDENTS), 'residents');
    await claimLoad(surge, warmUp, 2);
    say(`durable claims: ${SECONDS} s, ${CONNECTIONS} connections, a different resident per request`);
    const claimants = inTurn(surge.residents.slice(0, -WARM_UP_RESIDENTS), 'residents');
    refused.clear();
    const claims = await claimLoad(surge, claimants, SECONDS);
    const refusedInLoad = [...refused].map(([refusal, count]) => `${refusal} ×${count}`).join(', ') || 'none';
    say('sell-out: the same load on a round of ' + SELL_OUT_STOCK.toLocaleString());
    await claimLoad(sellOut, inTurn(sellOut.residents, 'residents'), 3);

    await startServer(
      'floor',
      compiled('tools/src/bench/floor-server.js').concat(String(floorPort)),
      {},
      `http://127.0.0.1:${floorPort}/echo`,
    );
    say('HTTP floor: bare Fastify POST echo');
    const floor = await load({
      url: `http://127.0.0.1:${floorPort}/echo`,
      seconds: SECONDS,
      connections: CONNECTIONS,
      next: () => ({ body: '{"offerId":"x"}', headers: {} }),
    });

    // The api's Node options too, so the mechanism is measured as the api would run it.
    const mechanismEnv = withApiNodeOptions({
      DATABASE_URL: bench.DATABASE_URL,
      REDIS_URL: bench.REDIS_URL,
      REDIS_KEY_PREFIX: bench.REDIS_KEY_PREFIX,
      LOG_LEVEL: 'warn',
      NODE_OPTIONS: process.env.NODE_OPTIONS,
    });
    await startServer(
      'mechanism',
      compiled('tools/src/bench/mechanism-server.js').concat(String(mechanismPort)),
      mechanismEnv,
      `http://127.0.0.1:${mechanismPort}/claim`,
    );
    say('the claim mechanism alone: one Lua script and a group-committed one-row INSERT, no token, no vouchers');
    const mechanism = await numberedResidentsLoad(`http://127.0.0.1:${mechanismPort}/claim`);

    await startServer(
      'row-lock',
      compiled('tools/src/bench/row-lock-server.js').concat(String(rowLockPort), bench.DATABASE_URL),
      {},
      `http://127.0.0.1:${rowLockPort}/claim`,
    );
    say('conventional claim: SELECT … FOR UPDATE on a stock row, insert, update');
    const rowLock = await numberedResidentsLoad(`http://127.0.0.1:${rowLockPort}/claim`);

    await stopChildren();
    const [{ oversold }] = (await dataSource.query(
      `SELECT greatest(0, count(*) - $2)::int AS oversold FROM claims WHERE round_id = $1`,
      [sellOut.roundId, SELL_OUT_STOCK],
    )) as { oversold: number }[];
    const [{ found }] = (await dataSource.query(
      `SELECT count(*)::int AS found FROM claims WHERE id = ANY($1::uuid[])`,
      [[...acked]],
    )) as { found: number }[];
    const figures = {
      claimsPerSec: claims.okPerSec,
      p50Ms: claims.p50Ms,
      p99Ms: claims.p99Ms,
      floorReqPerSec: floor.requestsPerSec,
      rowLockClaimsPerSec: rowLock.okPerSec,
      oversell: oversold,
      lostAcked: acked.size + unreadable - found,
    };
    process.stdout.write(`
${resultTable([
  ['durable claim (api)', claims],
  ['HTTP floor (Fastify echo)', floor],
  ['claim mechanism alone', mechanism],
  ['row-lock claim (Postgres)', rowLock],
])}
${warmUp.ranOut('warm-up')}${claimants.ranOut('claim load')}  claim load, answers (any status) per second: slowest ${claims.perSecond.min}, median ${claims.perSecond.median}, fastest ${claims.perSecond.max}
  claim load, answers other than 201: ${refusedInLoad}
  claims acknowledged: ${acked.size + unreadable}, found in Postgres: ${found}; sell-out round of ${SELL_OUT_STOCK}: oversold ${oversold}
  speed-up over the row lock: ${(claims.okPerSec / Math.max(1, rowLock.okPerSec)).toFixed(1)}×; share of the mechanism alone on this host: ${Math.round((100 * claims.okPerSec) / Math.max(1, mechanism.okPerSec))}%

${JSON.stringify(figures)}
`);
  } finally {
    await env.dispose();
  }
});
