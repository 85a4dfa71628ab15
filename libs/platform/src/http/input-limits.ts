import { FastifyInstance, FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import { DomainError } from '@quan/domain';
import { FieldError, validationFailed } from './validation';

/**
 * The limits every request's body, query string and path parameters keep, whatever the endpoint. A DTO's
 * own rules (`@Length`, `@ArrayMaxSize`) are tighter; these are the floor under all of them, so that no
 * field left without a bound, and no property a DTO does not know, reaches class-transformer,
 * class-validator or Postgres unbounded.
 */
export const INPUT_LIMITS = {
  /** Bytes of a body (Fastify's bodyLimit): 413 PAYLOAD_TOO_LARGE beyond it. */
  bodyBytes: 64 * 1024,
  /** Levels of nesting: the deepest body (a round's offers and their items) has five. */
  depth: 16,
  /** Characters of one string: the longest field is a QR token (2,048). */
  stringLength: 2048,
  /** Items of one array: the longest list is a campaign's merchant allow/deny list (10,000). */
  arrayItems: 10_000,
} as const;

/** NUL (Postgres text cannot hold it) and unpaired UTF-16 surrogates (not Unicode text at all). */
const INVALID_TEXT = /[\0\p{Cs}]/u;
/** A hostile body can break every field; naming the first few is enough to show what is wrong. */
const MAX_REPORTED = 10;

interface Visit {
  value: unknown;
  field: string;
  depth: number;
}

const childField = (field: string, key: string | number): string => (field ? `${field}.${key}` : String(key));

function stringProblem(text: string, field: string): string | undefined {
  if (text.length > INPUT_LIMITS.stringLength)
    return `${field} must be at most ${INPUT_LIMITS.stringLength} characters`;
  if (INVALID_TEXT.test(text)) return `${field} must be text without NUL characters or unpaired surrogates`;
  return undefined;
}

/**
 * What breaks the limits in a parsed value, walked without recursion (so a body nested 10,000 levels
 * deep is measured, not followed into a stack overflow), stopping at the first levels too deep. Members
 * are named by their path (`merchant.name`, `offers.0.items`); the value itself by `whole`.
 */
export function inputProblems(value: unknown, whole: string): FieldError[] {
  const problems: FieldError[] = [];
  const pending: Visit[] = [{ value, field: '', depth: 0 }];
  while (pending.length > 0 && problems.length < MAX_REPORTED) {
    const { value: current, field, depth } = pending.pop()!;
    const name = field || whole;
    if (typeof current === 'string') {
      const problem = stringProblem(current, name);
      if (problem) problems.push({ field: name, messages: [problem] });
      continue;
    }
    if (typeof current !== 'object' || current === null) continue;
    if (depth >= INPUT_LIMITS.depth) {
      problems.push({ field: name, messages: [`${name} is nested more than ${INPUT_LIMITS.depth} levels deep`] });
      continue;
    }
    if (Array.isArray(current)) {
      if (current.length > INPUT_LIMITS.arrayItems) {
        problems.push({ field: name, messages: [`${name} must have at most ${INPUT_LIMITS.arrayItems} items`] });
        continue;
      }
      current.forEach((item, index) =>
        pending.push({ value: item, field: childField(field, index), depth: depth + 1 }),
      );
      continue;
    }
    for (const [key, item] of Object.entries(current)) {
      const keyProblem = stringProblem(key, `a property name of ${name}`);
      if (keyProblem) problems.push({ field: name, messages: [keyProblem] });
      else pending.push({ value: item, field: childField(field, key), depth: depth + 1 });
    }
  }
  return problems;
}

/** A body is a JSON object, or nothing (null counts as nothing); the endpoint's DTO says which fields it needs. */
function bodyShapeProblem(body: unknown): FieldError | undefined {
  if (body === undefined || body === null || (typeof body === 'object' && !Array.isArray(body))) return undefined;
  return { field: 'body', messages: ['body must be a JSON object'] };
}

function checkInput(request: FastifyRequest): DomainError | undefined {
  const shape = bodyShapeProblem(request.body);
  const problems = [
    ...(shape ? [shape] : inputProblems(request.body, 'body')),
    ...inputProblems(request.query, 'query string'),
    ...inputProblems(request.params, 'path'),
  ];
  return problems.length > 0 ? validationFailed(problems.slice(0, MAX_REPORTED)) : undefined;
}

/**
 * Refuses hostile input before any endpoint sees it, on every route (including those served directly):
 * bodies, query strings and path parameters are checked against INPUT_LIMITS once parsed, and a breach is
 * a 400 VALIDATION_FAILED naming the field. A callback hook: an async one costs a promise per request.
 */
export function refuseHostileInput(fastify: FastifyInstance): void {
  fastify.addHook('preValidation', (request: FastifyRequest, _reply: FastifyReply, done: HookHandlerDoneFunction) => {
    done(checkInput(request));
  });
}
