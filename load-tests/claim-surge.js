// k6 scenario: a round opens and residents grab vouchers within the first minute.
//   k6 run -e BASE_URL=http://localhost:3000 -e ROUND_ID=… -e OFFER_ID=… -e OTP=123456 load-tests/claim-surge.js
// The api must run with AUTH_DEV_OTP=$OTP (never in production) so that virtual residents can log in.
// Each iteration is one resident: log in with a fresh phone number, verify identity, claim once.
// SOLD_OUT and LIMIT_REACHED are expected answers once stock is gone, not failures.
import http from 'k6/http';
import { check } from 'k6';
import { Counter } from 'k6/metrics';
import exec from 'k6/execution';
import { idNumber } from './lib/residents.js';

const BASE_URL = __ENV.BASE_URL || 'http://localhost:3000';
const ROUND_ID = __ENV.ROUND_ID;
const OFFER_ID = __ENV.OFFER_ID;
const OTP = __ENV.OTP || '123456';
const PEAK_RATE = Number(__ENV.PEAK_RATE || 5000);

const claimed = new Counter('claims_won');
const soldOut = new Counter('claims_sold_out');

// Expected answers of the claim endpoint: won, sold out, limit reached.
http.setResponseCallback(http.expectedStatuses(200, 201, 202, 409));

/** @type {import('k6/options').Options} */
export const options = {
  scenarios: {
    round_opens: {
      executor: 'ramping-arrival-rate',
      startRate: 100,
      timeUnit: '1s',
      preAllocatedVUs: 500,
      maxVUs: 5000,
      stages: [
        { target: PEAK_RATE, duration: '10s' },
        { target: PEAK_RATE, duration: '40s' },
        { target: 0, duration: '10s' },
      ],
    },
  },
  thresholds: {
    http_req_failed: ['rate<0.01'],
    'http_req_duration{name:claim}': ['p(99)<50'],
    'http_req_duration{name:rounds}': ['p(99)<20'],
  },
};

const json = { headers: { 'content-type': 'application/json' } };

export default function () {
  const n = exec.scenario.iterationInTest;
  const phone = `1${3 + (n % 7)}${String(n).padStart(9, '0')}`.slice(0, 11);
  http.get(`${BASE_URL}/api/v1/rounds?status=open`, { tags: { name: 'rounds' } });

  const login = http.post(`${BASE_URL}/api/v1/auth/login`, JSON.stringify({ phone, code: OTP }), { ...json, tags: { name: 'login' } });
  if (!check(login, { 'logged in': (r) => r.status === 200 })) return;
  const verified = http.post(
    `${BASE_URL}/api/v1/me/identity`,
    JSON.stringify({ name: '测试', idNumber: idNumber(n, 1990) }),
    { headers: { ...json.headers, authorization: `Bearer ${login.json('accessToken')}` }, tags: { name: 'identity' } },
  );
  if (!check(verified, { 'identity verified': (r) => r.status === 200 })) return;

  const claim = http.post(`${BASE_URL}/api/v1/rounds/${ROUND_ID}/claims`, JSON.stringify({ offerId: OFFER_ID }), {
    headers: { ...json.headers, authorization: `Bearer ${verified.json('accessToken')}`, 'idempotency-key': `k6-${n}` },
    tags: { name: 'claim' },
  });
  check(claim, {
    'claim answered as won, sold out or limit reached': (r) =>
      r.status === 201 || (r.status === 409 && ['SOLD_OUT', 'LIMIT_REACHED'].includes(String(r.json('code')))),
  });
  if (claim.status === 201) claimed.add(1);
  else if (claim.status === 409 && claim.json('code') === 'SOLD_OUT') soldOut.add(1);
}
