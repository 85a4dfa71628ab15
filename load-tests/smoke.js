// k6 smoke scenario: the public read endpoints and readiness stay fast under a steady arrival rate.
//   k6 run -e BASE_URL=http://localhost:3000 load-tests/smoke.js
import http from 'k6/http';
import { check } from 'k6';

const BASE_URL = __ENV.BASE_URL || 'http://localhost:3000';

/** @type {import('k6/options').Options} */
export const options = {
  scenarios: {
    browse: {
      executor: 'constant-arrival-rate',
      rate: 200,
      timeUnit: '1s',
      duration: '30s',
      preAllocatedVUs: 20,
      maxVUs: 100,
    },
  },
  thresholds: {
    http_req_failed: ['rate<0.001'],
    'http_req_duration{name:counties}': ['p(99)<50'],
    'http_req_duration{name:ready}': ['p(99)<50'],
  },
};

export default function () {
  const counties = http.get(`${BASE_URL}/api/v1/counties`, { tags: { name: 'counties' } });
  check(counties, {
    'counties 200': (r) => r.status === 200,
    'request id returned': (r) => typeof r.headers['X-Request-Id'] === 'string',
  });
  const ready = http.get(`${BASE_URL}/health/ready`, { tags: { name: 'ready' } });
  check(ready, { 'ready 200': (r) => r.status === 200 });
}
