import type { IncomingMessage, ServerResponse } from 'node:http';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import helmet, { HelmetOptions } from 'helmet';
import { AppConfig } from '@quan/config';

/**
 * The Content-Security-Policy of every answer: the web apps (/h5/, /till/, /console/, built by Vite and
 * served from the api's own origin) and Swagger UI at /docs load everything from 'self'.
 * - style-src 'unsafe-inline': antd and antd-mobile (CSS-in-JS) and Swagger UI's page insert <style>
 *   elements at run time; a nonce cannot reach styles made in the browser. Scripts stay 'self' only.
 * - img-src data: blob: (icons inlined by Vite and Swagger UI, a QR code drawn into a blob), media-src
 *   blob: (the till's camera stream shown in a <video>), worker-src blob: (a QR decoder in a worker).
 * - frame-ancestors 'none': no page may frame Quan (clickjacking of the till or the console).
 * No upgrade-insecure-requests: a development api on plain http would then fail to load its own scripts.
 */
export const CONTENT_SECURITY_POLICY = {
  defaultSrc: ["'self'"],
  baseUri: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'", "'unsafe-inline'"],
  imgSrc: ["'self'", 'data:', 'blob:'],
  fontSrc: ["'self'", 'data:'],
  connectSrc: ["'self'"],
  mediaSrc: ["'self'", 'blob:'],
  workerSrc: ["'self'", 'blob:'],
  objectSrc: ["'none'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
};

/**
 * Security headers on every answer (api routes, /docs, /metrics, 404s, whatever is registered later):
 * the CSP above, X-Content-Type-Options: nosniff, X-Frame-Options: DENY, Referrer-Policy: no-referrer,
 * Cross-Origin-Opener-Policy and -Resource-Policy: same-origin. Strict-Transport-Security is added only
 * to requests that came over HTTPS (directly or, per TRUST_PROXY, through the proxy that ended TLS):
 * browsers ignore it on plain http, and a development api must not pin its host to https.
 * No CORS plugin is registered: the web apps share the api's origin, so no Access-Control-Allow-Origin
 * is ever sent and browsers keep other origins' scripts from reading answers.
 */
export function registerSecurityHeaders(app: NestFastifyApplication, config: AppConfig): void {
  const headers = helmetHeaders({
    contentSecurityPolicy: { useDefaults: false, directives: CONTENT_SECURITY_POLICY },
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
    hsts: false,
  });
  const hsts = config.HSTS_MAX_AGE_S === 0 ? undefined : `max-age=${config.HSTS_MAX_AGE_S}; includeSubDomains`;
  // A callback hook setting headers worked out once: rebuilding them in an async hook on every request
  // (@fastify/helmet) cost the claim path throughput (docs/decisions/2026-12-07-security-headers-and-cors.md).
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onRequest', (request, reply, done) => {
      reply.headers(headers);
      if (hsts && request.protocol === 'https') reply.header('strict-transport-security', hsts);
      done();
    });
}

/**
 * The headers helmet sets for these options, taken by running its middleware once against a response that
 * records them: with no per-request directive (no nonce), they are the same for every answer.
 */
export function helmetHeaders(options: HelmetOptions): Record<string, string> {
  const headers: Record<string, string> = {};
  const recorder = {
    setHeader: (name: string, value: string | number | readonly string[]) =>
      void (headers[name.toLowerCase()] = String(value)),
    removeHeader: (name: string) => void delete headers[name.toLowerCase()],
  };
  let done = false;
  helmet(options)({} as IncomingMessage, recorder as unknown as ServerResponse, () => (done = true));
  if (!done) throw new Error('helmet did not finish synchronously: its headers cannot be worked out once');
  return headers;
}
