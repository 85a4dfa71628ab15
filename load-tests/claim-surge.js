// k6 scenario: a round opens and residents grab vouchers within the first minute.
//   k6 run -e BASE_URL=http://localhost:3000 -e ROUND_ID=… -e OFFER_ID=… -e OTP=123456 load-tests/claim-surge.js
// The api must run with AUTH_DEV_OTP=$OTP (never in production) so that virtual residents can log in, and with
// OTP_IP_LIMIT_PER_MIN above the rate of new residents, as they all come from the load generator's address.
// Two scenarios run together:
// - new_residents: each iteration is a resident arriving at the opening (open-loop arrivals): ask for a login
//   code, log in with the development code, verify identity, list the rounds, claim once with an Idempotency-Key.
// - returning_residents: residents who logged in and verified before the opening (in setup) list the rounds
//   and claim as it opens.
// SOLD_OUT and LIMIT_REACHED are expected answers once stock is gone; 503 BUSY (the admission gate) is retried
// after Retry-After with its Retry-Ticket, as the H5 does. Only other failures count as failed.
import http from 'k6/http';
import { check, sleep } from 'k6';
import { Counter, Trend } from 'k6/metrics';
import exec from 'k6/execution';
import { idNumber } from './lib/residents.js';

const BASE_URL = __ENV.BASE_URL || 'http://localhost:3000';
const ROUND_ID = __ENV.ROUND_ID;
const OFFER_ID = __ENV.OFFER_ID;
const OTP = __ENV.OTP || '123456';
const PEAK_RATE = Number(__ENV.PEAK_RATE || 1500);
/** Residents logged in and verified before the opening. */
const RETURNING = Number(__ENV.RETURNING || 2000);
/** Times a shed request is sent again before the resident gives up. */
const BUSY_RESENDS = 3;

const claimed = new Counter('claims_won');
const soldOut = new Counter('claims_sold_out');
const shed = new Counter('requests_shed');
const journey = new Trend('journey_duration', true);

// Expected answers: 2xx, the claim's sold out / limit reached (409) and the gate's 503 BUSY (retried).
http.setResponseCallback(http.expectedStatuses({ min: 200, max: 299 }, 409, 503));

/** @type {import('k6/options').Options} */
export const options = {
  setupTimeout: '10m',
  scenarios: {
    new_residents: {
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
      exec: 'newResident',
    },
    returning_residents: {
      executor: 'shared-iterations',
      vus: 200,
      iterations: RETURNING,
      maxDuration: '1m',
      exec: 'returningResident',
    },
  },
  thresholds: {
    http_req_failed: ['rate<0.001'],
    'http_req_duration{name:otp}': ['p(99)<250'],
    'http_req_duration{name:login}': ['p(99)<250'],
    'http_req_duration{name:identity}': ['p(99)<250'],
    'http_req_duration{name:rounds}': ['p(99)<250'],
    'http_req_duration{name:claim}': ['p(99)<250'],
    http_req_duration: ['max<2000'],
  },
};

const JSON_HEADERS = { 'content-type': 'application/json' };

/**
 * Sends a request, and again after Retry-After (with the gate's ticket) while the gate sheds it.
 * @param {() => import('k6/http').RefinedResponse<'text'>} send
 * @param {(ticket: string | undefined) => import('k6/http').RefinedResponse<'text'>} [resend]
 */
function admitted(send, resend) {
  let response = send();
  for (let n = 0; n < BUSY_RESENDS && response.status === 503 && response.headers['Retry-Ticket']; n += 1) {
    shed.add(1);
    sleep(Number(response.headers['Retry-After'] || 1));
    response = resend ? resend(response.headers['Retry-Ticket']) : send();
  }
  return response;
}

/**
 * @param {string} method
 * @param {string} path
 * @param {unknown} body
 * @param {string} name
 * @param {Record<string, string>} [headers]
 */
function call(method, path, body, name, headers = {}) {
  const payload = body === undefined ? null : JSON.stringify(body);
  /** @param {string | undefined} ticket */
  const send = (ticket) =>
    http.request(method, `${BASE_URL}/api/v1${path}`, payload, {
      headers: { ...JSON_HEADERS, ...headers, ...(ticket ? { 'Retry-Ticket': ticket } : {}) },
      tags: { name },
    });
  return admitted(() => send(undefined), send);
}

/** @param {number} n */
function phoneOf(n) {
  return `1${3 + (Math.floor(n / 1e9) % 7)}${String(n % 1e9).padStart(9, '0')}`;
}

/**
 * Logs resident n in and verifies identity as a person born in `year`; answers the access token that carries the identity.
 * @param {number} n
 * @param {number} year
 */
function signUp(n, year) {
  const phone = phoneOf(n);
  const code = call('POST', '/auth/otp', { phone }, 'otp');
  if (!check(code, { 'login code sent': (r) => r.status === 202 })) return undefined;
  const login = call('POST', '/auth/login', { phone, code: OTP }, 'login');
  if (!check(login, { 'logged in': (r) => r.status === 200 })) return undefined;
  const verified = call('POST', '/me/identity', { name: '测试', idNumber: idNumber(n, year) }, 'identity', {
    authorization: `Bearer ${login.json('accessToken')}`,
  });
  if (!check(verified, { 'identity verified': (r) => r.status === 200 })) return undefined;
  return String(verified.json('accessToken'));
}

/**
 * @param {string} token
 * @param {string} key
 */
function listAndClaim(token, key) {
  const rounds = call('GET', '/rounds?status=open', undefined, 'rounds');
  check(rounds, { 'rounds listed': (r) => r.status === 200 });
  const claim = call('POST', `/rounds/${ROUND_ID}/claims`, { offerId: OFFER_ID }, 'claim', {
    authorization: `Bearer ${token}`,
    'Idempotency-Key': key,
  });
  check(claim, {
    'claim answered as won, sold out or limit reached': (r) =>
      r.status === 201 || (r.status === 409 && ['SOLD_OUT', 'LIMIT_REACHED'].includes(String(r.json('code')))),
  });
  if (claim.status === 201) claimed.add(1);
  else if (claim.status === 409 && claim.json('code') === 'SOLD_OUT') soldOut.add(1);
}

/** Residents who signed up before the opening: other phones (from 2,000,000,000) and people (born in 1950) than the new ones. */
export function setup() {
  const tokens = [];
  for (let i = 0; i < RETURNING; i += 1) {
    const token = signUp(2e9 + i, 1950);
    if (token) tokens.push(token);
  }
  return { tokens };
}

export function newResident() {
  const started = Date.now();
  const n = exec.scenario.iterationInTest;
  const token = signUp(n, 1960 + Math.floor(n / 336000));
  if (token) listAndClaim(token, `k6-new-${exec.scenario.startTime}-${n}`);
  journey.add(Date.now() - started);
}

/** @param {{ tokens: string[] }} data */
export function returningResident(data) {
  const i = exec.scenario.iterationInTest;
  if (i < data.tokens.length) listAndClaim(data.tokens[i], `k6-returning-${exec.scenario.startTime}-${i}`);
}
