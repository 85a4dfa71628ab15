import { randomUUID } from 'node:crypto';
import { VoucherTokens } from '@quan/auth';
import { createRedemptionFixture, FixtureVoucher } from '@quan/testing';
import { benchEnvironment } from './bench/environment';
import { inTurn, load, resultTable } from './bench/load';
import { stopChildren } from './processes';
import { runTool } from './run-tool';
import { say } from './services';

const SECONDS = 10;
const CONNECTIONS = 50;
const RESIDENTS = 100_000;
const MERCHANTS = 200;
const DOUBLE_SECONDS = 3;
/** Vouchers kept for the double confirmation, so each one's first confirmation there is its first anywhere. */
const DOUBLE_VOUCHERS = 40_000;

/**
 * `npm run bench:redeem`: a weekend at the tills. Cashiers of many merchants scan a different resident's
 * QR code per request (50 connections); then vouchers not used yet are each confirmed at tills of two
 * merchants at once, and the run counts vouchers acknowledged twice or redeemed twice in Postgres. Prints a
 * table, a warning if a load ran past its vouchers, and a last line of JSON.
 */
runTool(async () => {
  const env = await benchEnvironment(`${(RESIDENTS * 2).toLocaleString()} claimed vouchers, ${MERCHANTS} merchants`);
  const { config, dataSource } = env;
  try {
    const fixture = await createRedemptionFixture(dataSource, config, {
      residents: RESIDENTS,
      merchants: MERCHANTS,
      campaign: { budget_fen: 100_000_000_000 },
    });
    const api = await env.startApi();
    const tills = fixture.merchants.flatMap((merchant) => merchant.cashierTokens);
    // The residents' phones show their QR codes: signed before the load (valid for a minute), not by the load generator.
    const tokens = new VoucherTokens(config);
    const bodies = new Map(
      fixture.vouchers.map((voucher) => [
        voucher.id,
        JSON.stringify({
          token: tokens.issue(voucher.id, voucher.residentId).token,
          orderAmountFen: voucher.voucherTypeId === fixture.thresholdTypeId ? 6800 : 2300,
        }),
      ]),
    );
    // Each phase takes vouchers of its own.
    const single = inTurn(fixture.vouchers.slice(0, -DOUBLE_VOUCHERS), 'vouchers');
    const double = inTurn(fixture.vouchers.slice(-DOUBLE_VOUCHERS), 'vouchers');
    let request = 0;
    const body = (voucher: FixtureVoucher) => bodies.get(voucher.id)!;
    const acked = new Map<string, number>();
    const redeemLoad = (seconds: number, pick: () => { voucher: FixtureVoucher; till: string }) =>
      load({
        url: `${api}/merchant/redemptions`,
        seconds,
        connections: CONNECTIONS,
        next: () => {
          const { voucher, till } = pick();
          return { body: body(voucher), headers: { authorization: `Bearer ${till}`, 'idempotency-key': randomUUID() } };
        },
        onResponse: (status, answer) => {
          if (status !== 201) return;
          const id = (JSON.parse(answer) as { voucher: { id: string } }).voucher.id;
          acked.set(id, (acked.get(id) ?? 0) + 1);
        },
      });

    say('warming up the redemption path');
    const anyTill = () => ({ voucher: single.take(), till: tills[request++ % tills.length] });
    await redeemLoad(2, anyTill);
    say(`redemptions: ${SECONDS} s, ${CONNECTIONS} connections, a different voucher and till per request`);
    const redemptions = await redeemLoad(SECONDS, anyTill);
    say(`double confirmation: ${DOUBLE_SECONDS} s, every voucher sent to two tills of different merchants at once`);
    // Pair k goes to a till of merchant k and one of merchant k + 1.
    const { merchants } = fixture;
    let sent = 0;
    let current!: FixtureVoucher;
    const doubles = await redeemLoad(DOUBLE_SECONDS, () => {
      const [pair, second] = [Math.floor(sent / 2), sent % 2];
      sent += 1;
      if (second === 0) current = double.take();
      return { voucher: current, till: merchants[(pair + second) % merchants.length].cashierTokens[second] };
    });
    await stopChildren();

    const [{ twice }] = (await dataSource.query(
      `SELECT count(*)::int AS twice FROM (SELECT voucher_id FROM redemptions WHERE reversed_at IS NULL GROUP BY 1 HAVING count(*) > 1) AS d`,
    )) as { twice: number }[];
    const ackedTwice = [...acked.values()].filter((n) => n > 1).length;
    const figures = {
      redemptionsPerSec: redemptions.okPerSec,
      p50Ms: redemptions.p50Ms,
      p99Ms: redemptions.p99Ms,
      doubleRedeemed: twice + ackedTwice,
    };
    process.stdout.write(`
${resultTable([
  ['redemption (api)', redemptions],
  ['two tills per voucher', doubles],
])}
${single.ranOut('redemption load')}${double.ranOut('double confirmation')}  vouchers acknowledged twice: ${ackedTwice}; vouchers with two redemptions in Postgres: ${twice}

${JSON.stringify(figures)}
`);
  } finally {
    await env.dispose();
  }
});
