import { randomBytes } from 'node:crypto';
import { loadavg } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { createClaimFixture } from '@quan/testing';
import { idNumberCheckCharacter } from '@quan/domain';
import { Answer, arrive, LoadClient, RunFigures } from './bench/arrivals';
import { benchEnvironment } from './bench/environment';
import { runTool } from './run-tool';
import { say } from './services';

/** Journeys per second tried in turn, up to the first that misses the targets (`npm run bench:surge -- 500,1000` names others). */
const RATES = process.argv[3]
  ? process.argv[3].split(',').map(Number)
  : [200, 400, 600, 800, 1000, 1250, 1500, 1750, 2000, 2500, 3000, 3500, 4000];
const STEP_SECONDS = 6;
const OVERLOAD_SECONDS = 20;
const P99_TARGET_MS = 250;
const ERROR_TARGET = 0.001;
/** How long a step's last journeys may take to finish before they count as unfinished. */
const GRACE_MS = 10_000;
const CONNECTIONS = 1000;
const DEV_OTP = '246810';
/** Shed requests a resident retries (after Retry-After) before giving up, in the overload run. */
const RETRIES = 3;
const STEPS = ['otp', 'login', 'identity', 'rounds', 'claim'] as const;
type Step = (typeof STEPS)[number];

const ACCESS_TOKEN = /"accessToken":"([^"]+)"/;
const CLAIM_ID = /"claimId":"([^"]+)"/;

/** The n-th resident's phone (fresh for every n below 7·10⁹) and ID number (valid and unique for n below about 30 million). */
function phoneOf(n: number): string {
  return `1${3 + (Math.floor(n / 1e9) % 7)}${String(n % 1e9).padStart(9, '0')}`;
}

function idNumberOf(n: number): string {
  const year = 1940 + Math.floor(n / 336_000);
  const month = String((Math.floor(n / 28_000) % 12) + 1).padStart(2, '0');
  const day = String((Math.floor(n / 1000) % 28) + 1).padStart(2, '0');
  const digits = `110105${year}${month}${day}${String(n % 1000).padStart(3, '0')}`;
  return digits + idNumberCheckCharacter(digits);
}

/**
 * `npm run bench:surge`: the opening of a round as residents live it. New residents arrive open-loop at a
 * fixed rate; each asks for a login code, logs in with the development code, verifies an identity, lists
 * the rounds and claims once with an Idempotency-Key. The rate is stepped up to the highest at which every
 * step's p99 stays within 250 ms with under 0.1 % errors; then three times that rate runs for 20 s, with
 * shed residents retrying after Retry-After as the H5 does. Prints a table, the overload's answers, and a
 * last line of JSON.
 */
runTool(async () => {
  const env = await benchEnvironment('two open rounds; residents sign up during the run');
  const { dataSource } = env;
  try {
    const surge = await createClaimFixture(dataSource, env.config, { stock: 10_000_000, residents: 0 });
    const api = new URL(await env.startApi({ AUTH_DEV_OTP: DEV_OTP, OTP_IP_LIMIT_PER_MIN: '10000000' }));
    const client = new LoadClient(api.origin, CONNECTIONS);
    const base = api.pathname;
    const runKey = randomBytes(3).toString('hex');
    let nextResident = 0;
    let closing = false;
    const acked = new Set<string>();
    let unreadable = 0;

    /** One resident's journey; a step that fails ends it. `retryShed`: a shed step is retried after Retry-After. */
    const journey =
      (figures: RunFigures, round: { roundId: string; offerId: string }, retryShed: boolean) => async () => {
        const n = nextResident++;
        const step = async (
          name: Step,
          ok: (answer: Answer) => boolean,
          send: (headers: Record<string, string>) => Promise<Answer>,
        ) => {
          const stats = figures.step(name);
          const retry: Record<string, string> = {};
          for (let attempt = 0; ; attempt += 1) {
            const started = performance.now();
            let answer: Answer | undefined;
            try {
              answer = await send(retry);
            } catch (error) {
              // Requests still waiting when the bench gave up on the run are cut short by closing the client.
              figures.count({
                error: closing ? 'still waiting at the end' : ((error as { code?: string }).code ?? String(error)),
              });
            }
            const waited = performance.now() - started;
            stats.latenciesMs.push(waited);
            figures.maxWaitMs = Math.max(figures.maxWaitMs, waited);
            if (answer) figures.count(answer);
            if (answer && ok(answer)) return answer;
            const shed = answer?.code === 'BUSY' || answer?.status === 429;
            if (!(retryShed && shed && attempt < RETRIES)) {
              stats.failures += 1;
              return undefined;
            }
            stats.failures += 1;
            if (answer?.retryTicket) retry['retry-ticket'] = answer.retryTicket;
            await sleep((answer?.retryAfterS ?? 1) * 1000);
          }
        };
        const phone = phoneOf(n);
        if (
          !(await step(
            'otp',
            (a) => a.status === 202,
            (h) => client.send('POST', `${base}/auth/otp`, { phone }, h),
          ))
        )
          return;
        const login = await step(
          'login',
          (a) => a.status === 200,
          (h) => client.send('POST', `${base}/auth/login`, { phone, code: DEV_OTP }, h),
        );
        const loginToken = login && ACCESS_TOKEN.exec(login.body)?.[1];
        if (!loginToken) return;
        const identity = await step(
          'identity',
          (a) => a.status === 200,
          (h) =>
            client.send(
              'POST',
              `${base}/me/identity`,
              { name: '测试', idNumber: idNumberOf(n) },
              { ...h, authorization: `Bearer ${loginToken}` },
            ),
        );
        const token = identity && ACCESS_TOKEN.exec(identity.body)?.[1];
        if (!token) return;
        if (
          !(await step(
            'rounds',
            (a) => a.status === 200,
            (h) => client.send('GET', `${base}/rounds`, undefined, h),
          ))
        )
          return;
        const headers = { authorization: `Bearer ${token}`, 'idempotency-key': `surge-${runKey}-${n}` };
        await step(
          'claim',
          (a) => a.status === 201 || (a.status === 409 && (a.code === 'SOLD_OUT' || a.code === 'LIMIT_REACHED')),
          async (h) => {
            const answer = await client.send(
              'POST',
              `${base}/rounds/${round.roundId}/claims`,
              { offerId: round.offerId },
              { ...h, ...headers },
            );
            if (answer.status === 201) {
              const claimId = CLAIM_ID.exec(answer.body)?.[1];
              if (claimId) acked.add(claimId);
              else unreadable += 1;
            }
            return answer;
          },
        );
      };

    /**
     * The admission gate's limit and what it did so far, and the CPU of the api and of this process since the last
     * call (shares of one core: the api near 100 %, the api is the limit; this process near 100 %, the load
     * generator is; both far below with long waits, the host or Postgres is).
     */
    let cpu = { seconds: 0, own: 0, at: performance.now() };
    const gate = async () => {
      const text = await (await fetch(`${api.origin}/metrics`)).text();
      const seconds = Number(/process_cpu_seconds_total\{[^}]*\} ([\d.e+-]+)/.exec(text)?.[1] ?? 0);
      const own = process.cpuUsage();
      const ownSeconds = (own.user + own.system) / 1e6;
      const elapsed = (performance.now() - cpu.at) / 1000;
      const [share, ownShare] = [seconds - cpu.seconds, ownSeconds - cpu.own].map((used) =>
        Math.round((100 * used) / elapsed),
      );
      cpu = { seconds, own: ownSeconds, at: performance.now() };
      const sum = (outcome: string) =>
        [
          ...text.matchAll(new RegExp(`quan_admission_requests_total\\{[^}]*outcome="${outcome}"[^}]*\\} (\\d+)`, 'g')),
        ].reduce((total, match) => total + Number(match[1]), 0);
      const limit = /quan_admission_limit\{[^}]*\} (\d+)/.exec(text)?.[1];
      return `CPU (% of a core): api ${share}, this load generator ${ownShare}; gate: limit ${limit}, admitted ${sum('admitted')}, on a ticket ${sum('admitted_retry')}, shed ${sum('shed')}, throttled ${sum('throttled')}`;
    };
    const p99s = (figures: RunFigures) =>
      Object.fromEntries(STEPS.map((s) => [s, figures.step(s).percentile(99)])) as Record<Step, number>;
    const passes = (figures: RunFigures) =>
      figures.unfinished === 0 &&
      STEPS.every((s) => figures.step(s).percentile(99) <= P99_TARGET_MS) &&
      figures.failures <= ERROR_TARGET * Math.max(1, figures.requests);

    say('warming up: 3 s at 100 residents/s');
    await arrive(100, 3, GRACE_MS, journey(new RunFigures(), surge, false), new RunFigures());
    await gate();

    const rows: string[] = [];
    const line = (cells: (string | number)[]) =>
      '  ' + cells.map((c, i) => String(c).padStart(i === 0 ? 6 : 9)).join(' ');
    rows.push(line(['rate/s', 'done', ...STEPS.map((s) => `${s} p99`), 'errors', 'result']));
    let best = { rate: 0, p99: Object.fromEntries(STEPS.map((s) => [s, 0])) as Record<Step, number> };
    for (const rate of RATES) {
      const figures = new RunFigures();
      const load = loadavg()[0].toFixed(2);
      say(`${rate} new residents/s for ${STEP_SECONDS} s (load average ${load})`);
      await arrive(rate, STEP_SECONDS, GRACE_MS, journey(figures, surge, false), figures);
      const ok = passes(figures);
      const p99 = p99s(figures);
      rows.push(
        line([rate, figures.residentsDone, ...STEPS.map((s) => p99[s]), figures.failures, ok ? 'ok' : 'missed']) +
          `   (${await gate()})`,
      );
      if (!ok) break;
      best = { rate, p99 };
      // Lets the group-commit queues and Postgres's checkpoints settle between steps.
      await sleep(1000);
    }

    const overloadRate = 3 * Math.max(best.rate, RATES[0]);
    const sellOutStock = Math.round((overloadRate * OVERLOAD_SECONDS) / 4);
    const sellOut = await createClaimFixture(dataSource, env.config, { stock: sellOutStock, residents: 0 });
    const overload = new RunFigures();
    say(
      `overload: ${overloadRate} new residents/s for ${OVERLOAD_SECONDS} s on a round of ${sellOutStock.toLocaleString()}; shed residents retry after Retry-After`,
    );
    await arrive(overloadRate, OVERLOAD_SECONDS, GRACE_MS * 3, journey(overload, sellOut, true), overload);
    closing = true;
    await client.destroy();

    const [{ found }] = (await dataSource.query(
      `SELECT count(*)::int AS found FROM claims WHERE id = ANY($1::uuid[])`,
      [[...acked]],
    )) as { found: number }[];
    const [{ oversold }] = (await dataSource.query(
      `SELECT greatest(0, count(*) - $2)::int AS oversold FROM claims WHERE round_id = $1`,
      [sellOut.roundId, sellOutStock],
    )) as { oversold: number }[];
    const answers = [...overload.answers.entries()].sort(([a], [b]) => a.localeCompare(b));
    const shed = answers.filter(([label]) => label.endsWith(' BUSY')).reduce((sum, [, count]) => sum + count, 0);
    const unexpected5xx = answers
      .filter(([label]) => /^5/.test(label) && !label.endsWith(' BUSY'))
      .reduce((sum, [, count]) => sum + count, 0);
    const noAnswer = answers
      .filter(([label]) => label.startsWith('no answer'))
      .reduce((sum, [, count]) => sum + count, 0);
    const lostAcked = acked.size + unreadable - found;
    const figures = {
      residentsPerSec: best.rate,
      p99Ms: best.p99,
      overload: {
        rate: overloadRate,
        maxWaitMs: Math.round(overload.maxWaitMs),
        shed,
        unexpected5xx,
        noAnswer,
        lostAcked,
        oversell: oversold,
      },
    };
    process.stdout.write(`
  each step's p99 (ms) by rate of new residents; targets: p99 ≤ ${P99_TARGET_MS} ms, errors < ${ERROR_TARGET * 100} %
${rows.join('\n')}

  highest rate within the targets: ${best.rate} residents/s
  overload at ${overloadRate} residents/s for ${OVERLOAD_SECONDS} s: ${overload.residentsStarted} residents, ${overload.unfinished} unfinished
    longest wait for an answer: ${Math.round(overload.maxWaitMs)} ms; p99 by step: ${JSON.stringify(p99s(overload))}
    answers by status and code: ${answers.map(([label, count]) => `${label}: ${count}`).join(', ')}
    5xx other than the gate's BUSY: ${unexpected5xx}; requests without an answer: ${noAnswer}
    the gate at the end: ${await gate()}
    claims acknowledged: ${acked.size + unreadable}, found in Postgres: ${found}; round of ${sellOutStock}: oversold ${oversold}
  load average at the end: ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}

${JSON.stringify(figures)}
`);
  } finally {
    await env.dispose();
  }
});
