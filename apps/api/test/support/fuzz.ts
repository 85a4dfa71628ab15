import fc from 'fast-check';
import { ErrorCode } from '@quan/domain';
import { Api } from './api';

/**
 * Hostile requests for every operation of the OpenAPI document, made with fast-check. A body is either a
 * plausible one (drawn from the operation's schema) with one member broken or removed, or something else
 * entirely; query strings, path parameters and headers are drawn the same way. The property: no answer is
 * a 5xx, and every 4xx is problem+json with a code Quan defines.
 */

export type Who =
  'anonymous' | 'resident' | 'city_admin' | 'county_admin' | 'finance' | 'auditor' | 'merchant_admin' | 'cashier';
export const WHO: readonly Who[] = [
  'anonymous',
  'resident',
  'city_admin',
  'county_admin',
  'finance',
  'auditor',
  'merchant_admin',
  'cashier',
];

interface Schema {
  $ref?: string;
  allOf?: Schema[];
  type?: string;
  format?: string;
  enum?: unknown[];
  example?: unknown;
  properties?: Record<string, Schema>;
  items?: Schema;
  minLength?: number;
  maxLength?: number;
}
interface Parameter {
  name: string;
  in: 'query' | 'path' | 'header';
}
interface Operation {
  parameters?: Parameter[];
  'x-quan-roles'?: string[];
  requestBody?: { content: Record<string, { schema: Schema }> };
}
export interface OpenApi {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema> };
}

export interface FuzzTarget {
  method: string;
  path: string;
  operation: Operation;
}

/**
 * What the fuzz knows of the world: a token per caller, and ids that exist, by the path segment that names
 * their kind (`campaigns`, `rounds`, `offers` …), so that most requests get past the lookups to the services.
 */
export interface FuzzWorld {
  tokens: Record<Who, string | undefined>;
  ids: Record<string, string>;
}

export interface HostileRequest {
  who: Who;
  method: string;
  url: string;
  headers: Record<string, string>;
  payload?: string;
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

export function targetsOf(document: OpenApi): FuzzTarget[] {
  return Object.entries(document.paths).flatMap(([path, operations]) =>
    Object.entries(operations)
      .filter(([method]) => METHODS.includes(method))
      .map(([method, operation]) => ({ method: method.toUpperCase(), path, operation })),
  );
}

// Raw JSON text, so that a body nested 10,000 levels deep need not be built (or stringified) as an object.
const DEEP_OBJECT = `${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}`;
const DEEP_ARRAY = `${'['.repeat(10_000)}${']'.repeat(10_000)}`;
export const HOSTILE_JSON: readonly string[] = [
  DEEP_OBJECT,
  DEEP_ARRAY,
  JSON.stringify('x'.repeat(5_000)),
  JSON.stringify('y'.repeat(70_000)),
  JSON.stringify(new Array(20_000).fill(0)),
  '"a\\u0000b"',
  '"\\u0000"',
  '"\\ud800"',
  '"\\udc00x"',
  '""',
  '"   "',
  '"\' OR 1=1 --"',
  '"../../etc/passwd"',
  '"<script>alert(1)</script>"',
  'null',
  'true',
  'false',
  '0',
  '-1',
  '-0',
  '1.5',
  '1e309',
  '9007199254740993',
  '-9007199254740993',
  '2147483648',
  '[]',
  '[null]',
  '{}',
  '[{}]',
  '{"__proto__":{"polluted":true}}',
  '{"constructor":{"prototype":{"polluted":true}}}',
  '{"a\\u0000":1}',
  '"2026-02-30T10:00:00+08:00"',
  '"00000000-0000-0000-0000-000000000000"',
];
const HOSTILE_TEXT: readonly string[] = [
  '%00',
  'a%00b',
  '%ED%A0%80',
  '%C0%80',
  '%',
  '%zz',
  '%E4%B8',
  'x'.repeat(5_000),
  '',
  '-1',
  '1e400',
  'NaN',
  'true',
  '[]',
  '%5B%5D',
  '..',
  '%2E%2E%2F',
  '00000000-0000-0000-0000-000000000000',
  '2026-02-30',
  "'%20OR%201%3D1",
  '%F0%9F%92%A9',
  '__proto__',
  'constructor',
];
const BAD_AUTHORIZATION: readonly string[] = [
  'Bearer',
  'Bearer ',
  'Basic YWRtaW46YWRtaW4=',
  'Bearer x.y.z',
  `Bearer ${'a'.repeat(5_000)}`,
  'bearer abc',
  // alg none, and a token whose signature is not Quan's
  'Bearer eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0.eyJzdWIiOiJhZG1pbiIsInJvbGUiOiJjaXR5X2FkbWluIn0.',
  'Bearer eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJhZG1pbiIsInJvbGUiOiJjaXR5X2FkbWluIn0.c2lnbmF0dXJl',
];
const CONTENT_TYPES: readonly string[] = [
  'application/json',
  'application/json; charset=utf-8',
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/xml',
  'application/json; charset=utf-16',
  'application/problem+json',
  'application/json, text/plain',
];
const IDEMPOTENCY_KEYS: readonly string[] = [
  '',
  'short',
  'k'.repeat(500),
  'key with spaces',
  'clé-12345678',
  'fuzz-key-0001',
  '../../../../',
];
const REQUEST_IDS: readonly string[] = ['', '../../etc', 'r'.repeat(500), 'id with spaces', '<script>', 'ünïcode'];

/** Percent-encodes text, lone surrogates included (encodeURIComponent refuses them). */
function encode(text: string): string {
  try {
    return encodeURIComponent(text);
  } catch {
    return [...text].map((char) => (/[\ud800-\udfff]/.test(char) ? '%ED%A0%80' : encodeURIComponent(char))).join('');
  }
}

const hostileJson = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...HOSTILE_JSON) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }).map((value) => JSON.stringify(value)) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 30 }).map((text) => JSON.stringify(text)) },
);
const hostileText = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...HOSTILE_TEXT) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 30 }).map(encode) },
);

function resolve(schema: Schema, document: OpenApi): Schema {
  if (schema.$ref) return resolve(document.components.schemas[schema.$ref.split('/').pop()!], document);
  if (schema.allOf)
    return schema.allOf.reduce<Schema>((merged, part) => ({ ...merged, ...resolve(part, document) }), {});
  return schema;
}

/** A plausible value for a schema: its example, its first enum value, or something of its type. */
function sampleOf(raw: Schema, document: OpenApi, world: FuzzWorld, depth = 0): unknown {
  const schema = resolve(raw, document);
  if (schema.example !== undefined) return schema.example;
  if (schema.enum) return schema.enum[0];
  if (depth > 6) return null;
  if (schema.properties) {
    return Object.fromEntries(
      Object.entries(schema.properties).map(([name, property]) => [
        name,
        sampleOf(property, document, world, depth + 1),
      ]),
    );
  }
  switch (schema.type) {
    case 'array':
      return schema.items ? [sampleOf(schema.items, document, world, depth + 1)] : [];
    case 'integer':
    case 'number':
      return 1;
    case 'boolean':
      return true;
    case 'object':
      return {};
    default:
      if (schema.format === 'uuid') return Object.values(world.ids)[0];
      if (schema.format === 'date-time') return new Date(Date.now() + 86_400_000).toISOString();
      return 'fuzz'.padEnd(schema.minLength ?? 0, 'z').slice(0, schema.maxLength);
  }
}

/** Every member's path in a value (objects and arrays, not the root). */
function pathsOf(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, item]) => {
    const path = [...prefix, Array.isArray(value) ? Number(key) : key];
    return [path, ...pathsOf(item, path)];
  });
}

const HOLE = '"__fuzz_hole__"';

/** The sample as JSON with the member at `path` replaced by raw JSON text, or removed (`undefined`). */
function breakMember(sample: unknown, path: (string | number)[], replacement: string | undefined): string {
  const copy = structuredClone(sample) as Record<string | number, unknown>;
  const parent = path
    .slice(0, -1)
    .reduce<Record<string | number, unknown>>((node, key) => node[key] as Record<string | number, unknown>, copy);
  const last = path[path.length - 1];
  if (replacement === undefined) {
    if (Array.isArray(parent)) parent.splice(Number(last), 1);
    else delete parent[last];
    return JSON.stringify(copy);
  }
  parent[last] = HOLE.slice(1, -1);
  return JSON.stringify(copy).replace(HOLE, replacement);
}

function bodyOf(target: FuzzTarget, document: OpenApi, world: FuzzWorld): fc.Arbitrary<string | undefined> {
  const schema = target.operation.requestBody?.content['application/json']?.schema;
  const sample = schema ? sampleOf(schema, document, world) : {};
  const paths = pathsOf(sample);
  const broken =
    paths.length > 0
      ? [
          {
            weight: 4,
            arbitrary: fc
              .tuple(fc.constantFrom(...paths), fc.option(hostileJson, { nil: undefined, freq: 4 }))
              .map(([path, value]) => breakMember(sample, path, value)),
          },
          // null for one member: an optional member's @IsOptional() lets it through to the service.
          { weight: 1, arbitrary: fc.constantFrom(...paths).map((path) => breakMember(sample, path, 'null')) },
        ]
      : [];
  return fc.oneof(
    ...broken,
    { weight: 1, arbitrary: hostileJson },
    { weight: 1, arbitrary: fc.constant(JSON.stringify(sample)) },
    { weight: 1, arbitrary: fc.constant(undefined) },
  );
}

function urlOf(target: FuzzTarget, world: FuzzWorld): fc.Arbitrary<string> {
  const parameters = target.operation.parameters ?? [];
  const pathNames = parameters.filter((p) => p.in === 'path').map((p) => p.name);
  const queryNames = [
    ...parameters.filter((p) => p.in === 'query').map((p) => p.name),
    '__proto__',
    'constructor[prototype][x]',
    'unknown',
  ];
  const anyId = fc.constantFrom(...Object.values(world.ids));
  // The id of the kind the segment before the parameter names (`/campaigns/{id}`), mostly; else any id, or hostile text.
  const pathValues = fc.tuple(
    ...pathNames.map((name) => {
      const own = world.ids[target.path.split(`/{${name}}`)[0].split('/').pop()!];
      return fc.oneof(
        { weight: own ? 3 : 0, arbitrary: fc.constant(own ?? '') },
        { weight: 1, arbitrary: anyId },
        { weight: 1, arbitrary: hostileText },
      );
    }),
  );
  const query = fc.array(fc.tuple(fc.constantFrom(...queryNames), hostileText), { maxLength: 4 });
  return fc.tuple(pathValues, query).map(([values, pairs]) => {
    const path = pathNames.reduce((url, name, index) => url.replace(`{${name}}`, values[index]), target.path);
    return pairs.length > 0 ? `${path}?${pairs.map(([name, value]) => `${encode(name)}=${value}`).join('&')}` : path;
  });
}

/** Any caller, but mostly one the operation admits, so that most requests get past the guard to the DTOs and services. */
function callerOf(target: FuzzTarget): fc.Arbitrary<Who> {
  const admitted = WHO.filter((who) => target.operation['x-quan-roles']?.includes(who));
  const anyone = fc.constantFrom(...WHO);
  return admitted.length > 0
    ? fc.oneof({ weight: 2, arbitrary: fc.constantFrom(...admitted) }, { weight: 1, arbitrary: anyone })
    : anyone;
}

/** Hostile requests for one operation, as any caller. */
export function requestsFor(target: FuzzTarget, document: OpenApi, world: FuzzWorld): fc.Arbitrary<HostileRequest> {
  return fc
    .record({
      who: callerOf(target),
      url: urlOf(target, world),
      payload: bodyOf(target, document, world),
      authorization: fc.oneof(
        { weight: 5, arbitrary: fc.constant(null) },
        { weight: 1, arbitrary: fc.constantFrom(...BAD_AUTHORIZATION) },
      ),
      contentType: fc.oneof(
        { weight: 5, arbitrary: fc.constant('application/json') },
        { weight: 1, arbitrary: fc.constantFrom(...CONTENT_TYPES) },
      ),
      idempotencyKey: fc.oneof(
        { weight: 1, arbitrary: fc.constantFrom(...IDEMPOTENCY_KEYS) },
        { weight: 3, arbitrary: fc.nat().map((n) => `fuzz-key-${n}`) },
      ),
      requestId: fc.oneof(
        { weight: 4, arbitrary: fc.constant(null) },
        { weight: 1, arbitrary: fc.constantFrom(...REQUEST_IDS) },
      ),
    })
    .map(({ who, url, payload, authorization, contentType, idempotencyKey, requestId }) => {
      const token = world.tokens[who];
      const headers: Record<string, string> = {};
      if (authorization !== null) headers.authorization = authorization;
      else if (token) headers.authorization = `Bearer ${token}`;
      if (payload !== undefined) headers['content-type'] = contentType;
      headers['idempotency-key'] = idempotencyKey;
      if (requestId !== null) headers['x-request-id'] = requestId;
      return { who, method: target.method, url, headers, payload };
    });
}

const CODES = new Set<string>(Object.values(ErrorCode));

/** What is wrong with an answer, if anything: a 5xx, or a 4xx that is not problem+json with a known code. */
export function faultOf(status: number, contentType: string | undefined, body: string): string | undefined {
  if (status >= 500) return `${status} ${body.slice(0, 300)}`;
  if (status < 400) return undefined;
  if (!String(contentType).startsWith('application/problem+json'))
    return `${status} answered as ${contentType}: ${body.slice(0, 200)}`;
  let code: unknown;
  try {
    code = (JSON.parse(body) as { code?: unknown }).code;
  } catch {
    return `${status} problem+json that is not JSON: ${body.slice(0, 200)}`;
  }
  return typeof code === 'string' && CODES.has(code)
    ? undefined
    : `${status} with no known code: ${body.slice(0, 200)}`;
}

/** Sends one hostile request and answers its fault, if any. */
export async function send(api: Api, request: HostileRequest): Promise<{ status: number; fault?: string }> {
  const response = await api.app.inject({
    method: request.method as 'GET',
    url: request.url,
    headers: request.headers,
    payload: request.payload,
  });
  return {
    status: response.statusCode,
    fault: faultOf(response.statusCode, response.headers['content-type'] as string | undefined, response.body),
  };
}
