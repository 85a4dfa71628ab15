import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createTestApp, createTestEnvironment, TestEnvironment } from '@quan/testing';
import { AppModule } from '../src/app.module';

interface Schema {
  type?: string;
  format?: string;
  $ref?: string;
  properties?: Record<string, Schema>;
  additionalProperties?: boolean | Schema;
  items?: Schema;
  allOf?: Schema[];
  oneOf?: Schema[];
  anyOf?: Schema[];
  example?: unknown;
  enum?: unknown[];
}

interface Operation {
  summary?: string;
  operationId?: string;
  parameters?: { name: string; in: string; schema?: Schema }[];
  requestBody?: { content: Record<string, { schema?: Schema }> };
  responses: Record<string, { content?: Record<string, { schema?: Schema }> }>;
}

interface OpenApiDocument {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema> };
}

const OBJECT_REF = '#/components/schemas/Object';
const PROBLEM_REF = '#/components/schemas/ProblemDto';
/** Instants: opensAt, validFrom, validUntil … */
const INSTANT = /[a-z](At|From|Until)$/;
/** Business days: businessDay, throughDay, date … (a string; perPersonPerDay is a number) */
const DAY = /(^date|Day)$/;

const refs = (schema: Schema): string[] =>
  [
    schema.$ref,
    ...[...(schema.allOf ?? []), ...(schema.oneOf ?? []), ...(schema.anyOf ?? [])].map((s) => s.$ref),
  ].filter((r): r is string => !!r);

/** What a generated client would get wrong in one schema and everything under it. */
function schemaProblems(schema: Schema, at: string): string[] {
  const problems: string[] = [];
  if (schema.$ref === OBJECT_REF) problems.push(`${at}: refers to Object (a type the decorator did not state)`);
  if (
    schema.type === 'object' &&
    !schema.properties &&
    schema.additionalProperties === undefined &&
    refs(schema).length === 0
  ) {
    problems.push(`${at}: type object with no properties, additionalProperties or $ref`);
  }
  if (schema.type === 'array' && !schema.items) problems.push(`${at}: array without an item type`);
  // Money is fen and shares are basis points: a `number` is an unstated integer, unless stated a ratio (ApiRatio: format double).
  if (schema.type === 'number' && schema.format !== 'double') problems.push(`${at}: number, not integer`);
  const nested = [...(schema.allOf ?? []), ...(schema.oneOf ?? []), ...(schema.anyOf ?? [])].map((s, i) =>
    schemaProblems(s, `${at}[${i}]`),
  );
  if (schema.items) nested.push(schemaProblems(schema.items, `${at}[]`));
  if (typeof schema.additionalProperties === 'object')
    nested.push(schemaProblems(schema.additionalProperties, `${at}{}`));
  return [...problems, ...propertyProblems(schema.properties ?? {}, at), ...nested.flat()];
}

/** Rules on named fields (properties of a schema, or the parameters of an operation), and on siblings. */
function propertyProblems(properties: Record<string, Schema>, at: string): string[] {
  const problems: string[] = [];
  const dateExamples = new Map<string, string[]>();
  for (const [name, schema] of Object.entries(properties)) {
    const where = `${at}.${name}`;
    if (name.endsWith('Fen') && schema.type !== 'integer')
      problems.push(`${where}: money (…Fen) is ${schema.type ?? 'untyped'}, not integer`);
    if (INSTANT.test(name) && (schema.type !== 'string' || schema.format !== 'date-time'))
      problems.push(`${where}: an instant is not string/date-time`);
    if (DAY.test(name) && schema.type === 'string' && schema.format !== 'date')
      problems.push(`${where}: a business day is not string/date`);
    if ((schema.format === 'date-time' || schema.format === 'date') && schema.example !== undefined) {
      const example = JSON.stringify(schema.example);
      dateExamples.set(example, [...(dateExamples.get(example) ?? []), name]);
    }
    problems.push(...schemaProblems(schema, where));
  }
  for (const [example, names] of dateExamples)
    if (names.length > 1) problems.push(`${at}: ${names.join(', ')} share the example ${example}`);
  return problems;
}

function operationProblems(operation: Operation, at: string, underApi: boolean): string[] {
  const problems: string[] = [];
  if (!operation.summary) problems.push(`${at}: no summary`);
  if (!operation.operationId) problems.push(`${at}: no operationId`);
  for (const place of ['path', 'query', 'header']) {
    const parameters = (operation.parameters ?? []).filter((p) => p.in === place && p.schema);
    problems.push(
      ...propertyProblems(Object.fromEntries(parameters.map((p) => [p.name, p.schema!])), `${at} ${place}`),
    );
  }
  for (const [type, { schema }] of Object.entries(operation.requestBody?.content ?? {})) {
    problems.push(...(schema ? schemaProblems(schema, `${at} body ${type}`) : [`${at} body ${type}: no schema`]));
  }
  for (const [status, response] of Object.entries(operation.responses)) {
    for (const [type, { schema }] of Object.entries(response.content ?? {})) {
      problems.push(
        ...(schema ? schemaProblems(schema, `${at} ${status} ${type}`) : [`${at} ${status} ${type}: no schema`]),
      );
    }
    const problem = response.content?.['application/problem+json']?.schema;
    if (underApi && Number(status) >= 400 && !(problem && refs(problem).includes(PROBLEM_REF)))
      problems.push(`${at} ${status}: not a problem+json ProblemDto`);
  }
  return problems;
}

/** The same values enumerated inline in two places: a named enum (enumName) gives clients one type for both. */
function unnamedSharedEnums(document: OpenApiDocument): string[] {
  const places = new Map<string, string[]>();
  const note = (schema: Schema | undefined, at: string) => {
    const values = schema?.enum ?? schema?.items?.enum;
    if (!values) return;
    const key = JSON.stringify([...values].sort());
    places.set(key, [...(places.get(key) ?? []), at]);
  };
  for (const [name, schema] of Object.entries(document.components.schemas)) {
    for (const [property, value] of Object.entries(schema.properties ?? {})) note(value, `#${name}.${property}`);
  }
  for (const [path, item] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(item)) {
      for (const parameter of operation.parameters ?? [])
        note(parameter.schema, `${method.toUpperCase()} ${path} ${parameter.in}.${parameter.name}`);
    }
  }
  return [...places]
    .filter(([, at]) => at.length > 1)
    .map(([values, at]) => `${at.join(', ')}: the same enum ${values} without a name`);
}

/** Everything in the document that would make a generated client's types wrong or vague. */
function lintOpenApi(document: OpenApiDocument): string[] {
  const components = Object.entries(document.components.schemas).flatMap(([name, schema]) =>
    name === 'Object' ? [`#${name}: a schema made from an unstated type`] : schemaProblems(schema, `#${name}`),
  );
  const operations = Object.entries(document.paths).flatMap(([path, item]) =>
    Object.entries(item).flatMap(([method, operation]) =>
      operationProblems(operation, `${method.toUpperCase()} ${path}`, path.startsWith('/api/v1/')),
    ),
  );
  return [...components, ...operations, ...unnamedSharedEnums(document)];
}

describe('the OpenAPI document', () => {
  let env: TestEnvironment;
  let app: NestFastifyApplication;

  beforeAll(async () => {
    env = await createTestEnvironment();
    app = await createTestApp(AppModule.register(env.config), env.config);
  });

  afterAll(async () => {
    await app?.close();
    await env?.dispose();
  });

  it('states every type exactly: no bare objects, integer fen, string instants and days, own examples, summaries, problems', async () => {
    const document = (await app.inject({ url: '/docs/openapi.json' })).json() as OpenApiDocument;
    expect(Object.keys(document.paths).length).toBeGreaterThan(50);
    expect(lintOpenApi(document)).toEqual([]);
  });

  it('finds each defect it checks for', () => {
    const problem = { 'application/problem+json': { schema: { allOf: [{ $ref: PROBLEM_REF }] } } };
    const defective: OpenApiDocument = {
      components: {
        schemas: {
          Object: { type: 'object' },
          RoundDto: {
            type: 'object',
            properties: {
              opensAt: { type: 'string', format: 'date-time', example: '2026-05-01T10:00:00+08:00' },
              closesAt: { type: 'string', format: 'date-time', example: '2026-05-01T10:00:00+08:00' },
              drawAt: { type: 'object', format: 'date-time' },
              businessDay: { type: 'string' },
              budgetFen: { type: 'string' },
              remaining: { type: 'number' },
              tags: { type: 'array' },
              perPersonPerDay: { type: 'integer' },
              status: { type: 'string', enum: ['open', 'upcoming'] },
            },
          },
        },
      },
      paths: {
        '/api/v1/rounds': {
          get: {
            operationId: 'ClaimsController_rounds',
            parameters: [
              { name: 'limit', in: 'query', schema: { allOf: [{ $ref: OBJECT_REF }] } },
              {
                name: 'status',
                in: 'query',
                schema: { type: 'array', items: { type: 'string', enum: ['upcoming', 'open'] } },
              },
            ],
            responses: {
              '200': { content: { 'application/json': { schema: { $ref: '#/components/schemas/RoundDto' } } } },
              '400': { content: problem },
              '404': {},
            },
          },
        },
      },
    };
    expect(lintOpenApi(defective)).toEqual([
      '#Object: a schema made from an unstated type',
      '#RoundDto.drawAt: an instant is not string/date-time',
      '#RoundDto.drawAt: type object with no properties, additionalProperties or $ref',
      '#RoundDto.businessDay: a business day is not string/date',
      '#RoundDto.budgetFen: money (…Fen) is string, not integer',
      '#RoundDto.remaining: number, not integer',
      '#RoundDto.tags: array without an item type',
      '#RoundDto: opensAt, closesAt share the example "2026-05-01T10:00:00+08:00"',
      'GET /api/v1/rounds: no summary',
      'GET /api/v1/rounds query.limit[0]: refers to Object (a type the decorator did not state)',
      'GET /api/v1/rounds 404: not a problem+json ProblemDto',
      '#RoundDto.status, GET /api/v1/rounds query.status: the same enum ["open","upcoming"] without a name',
    ]);
  });
});
