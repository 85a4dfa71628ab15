// k6 scenario: a weekend at the tills. Residents show QR codes, cashiers quote and confirm.
//   k6 run -e BASE_URL=http://localhost:3000 -e ROUND_ID=… -e OFFER_ID=… -e OTP=123456 \
//          -e CASHIERS=m001-cashier,m002-cashier -e PASSWORD=quan-demo-2026 load-tests/redeem-weekend.js
// The api must run with AUTH_DEV_OTP=$OTP (never in production) so that virtual residents can log in.
// Each virtual user is a stream of residents: a new one logs in, verifies identity and claims a pack in the
// open round, then redeems its vouchers one per iteration (QR token, quote, confirm) at a random till.
import http from 'k6/http';
import { check } from 'k6';
import { Counter } from 'k6/metrics';
import exec from 'k6/execution';
import { idNumber } from './lib/residents.js';

const BASE_URL = __ENV.BASE_URL || 'http://localhost:3000';
const ROUND_ID = __ENV.ROUND_ID;
const OFFER_ID = __ENV.OFFER_ID;
const OTP = __ENV.OTP || '123456';
const CASHIERS = (__ENV.CASHIERS || '').split(',').filter(Boolean);
const PASSWORD = __ENV.PASSWORD || 'quan-demo-2026';
const PEAK_RATE = Number(__ENV.PEAK_RATE || 500);

const redeemed = new Counter('redemptions');
const refused = new Counter('redemptions_refused');

// Expected answers: successes, and 409/422 refusals a real till sees (a limit reached, a small order).
http.setResponseCallback(http.expectedStatuses(200, 201, 202, 409, 422));

/** @type {import('k6/options').Options} */
export const options = {
  setupTimeout: '2m',
  scenarios: {
    saturday: {
      executor: 'ramping-arrival-rate',
      startRate: 10,
      timeUnit: '1s',
      preAllocatedVUs: 200,
      maxVUs: 2000,
      stages: [
        { target: PEAK_RATE / 5, duration: '1m' },
        { target: PEAK_RATE, duration: '2m' },
        { target: PEAK_RATE, duration: '5m' },
        { target: PEAK_RATE / 5, duration: '2m' },
      ],
    },
  },
  thresholds: {
    http_req_failed: ['rate<0.01'],
    'http_req_duration{name:redeem}': ['p(99)<50'],
    'http_req_duration{name:quote}': ['p(99)<50'],
    'http_req_duration{name:qr}': ['p(99)<50'],
  },
};

const json = { 'content-type': 'application/json' };

/** The cashiers' access tokens, signed in once for the whole run. */
export function setup() {
  if (!ROUND_ID || !OFFER_ID || CASHIERS.length === 0) throw new Error('set ROUND_ID, OFFER_ID and CASHIERS');
  const tills = CASHIERS.map((username) => {
    const login = http.post(`${BASE_URL}/api/v1/auth/staff/login`, JSON.stringify({ username, password: PASSWORD }), {
      headers: json,
    });
    if (login.status !== 200) throw new Error(`cashier ${username} cannot sign in: ${login.status}`);
    return String(login.json('accessToken'));
  });
  return { tills };
}

/** @type {{ token: string, vouchers: { id: string, thresholdFen: number }[] }} */
const wallet = { token: '', vouchers: [] };
let residents = 0;

/** A new resident of this virtual user: log in, verify, claim a pack. */
function newResident() {
  residents += 1;
  const n = exec.vu.idInTest * 10000 + residents;
  const phone = `15${String(n).padStart(9, '0')}`.slice(0, 11);
  const login = http.post(`${BASE_URL}/api/v1/auth/login`, JSON.stringify({ phone, code: OTP }), {
    headers: json,
    tags: { name: 'login' },
  });
  if (!check(login, { 'logged in': (r) => r.status === 200 })) return;
  const verified = http.post(
    `${BASE_URL}/api/v1/me/identity`,
    JSON.stringify({ name: '测试', idNumber: idNumber(n, 1991) }),
    {
      headers: { ...json, authorization: `Bearer ${login.json('accessToken')}` },
      tags: { name: 'identity' },
    },
  );
  if (!check(verified, { 'identity verified': (r) => r.status === 200 })) return;
  wallet.token = String(verified.json('accessToken'));
  const claim = http.post(`${BASE_URL}/api/v1/rounds/${ROUND_ID}/claims`, JSON.stringify({ offerId: OFFER_ID }), {
    headers: { ...json, authorization: `Bearer ${wallet.token}`, 'idempotency-key': `k6-weekend-${n}` },
    tags: { name: 'claim' },
  });
  if (!check(claim, { claimed: (r) => r.status === 201 })) return;
  const vouchers = /** @type {{ id: string, thresholdFen: number }[]} */ (claim.json('vouchers'));
  wallet.vouchers = vouchers.map((v) => ({ id: v.id, thresholdFen: v.thresholdFen }));
}

/** @param {{ tills: string[] }} data */
export default function (data) {
  if (wallet.vouchers.length === 0) newResident();
  const voucher = wallet.vouchers.pop();
  if (!voucher) return;
  const qr = http.post(`${BASE_URL}/api/v1/me/vouchers/${voucher.id}/qr`, null, {
    headers: { authorization: `Bearer ${wallet.token}` },
    tags: { name: 'qr' },
  });
  if (!check(qr, { 'QR token issued': (r) => r.status === 200 })) return;
  const till = { ...json, authorization: `Bearer ${data.tills[Math.floor(Math.random() * data.tills.length)]}` };
  const body = JSON.stringify({
    token: qr.json('token'),
    orderAmountFen: voucher.thresholdFen + Math.floor(Math.random() * 20000),
  });
  const quote = http.post(`${BASE_URL}/api/v1/merchant/redemptions/quote`, body, {
    headers: till,
    tags: { name: 'quote' },
  });
  check(quote, { quoted: (r) => r.status === 200 });
  const redeem = http.post(`${BASE_URL}/api/v1/merchant/redemptions`, body, {
    headers: { ...till, 'idempotency-key': `k6-${exec.vu.idInTest}-${exec.scenario.iterationInTest}` },
    tags: { name: 'redeem' },
  });
  check(redeem, {
    'redeemed or refused with a code': (r) =>
      r.status === 201 || ((r.status === 409 || r.status === 422) && Boolean(r.json('code'))),
  });
  if (redeem.status === 201) redeemed.add(1);
  else refused.add(1);
}
