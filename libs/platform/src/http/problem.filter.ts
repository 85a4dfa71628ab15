import { ArgumentsHost, Catch, ExceptionFilter } from '@nestjs/common';
import { FastifyReply, FastifyRequest } from 'fastify';
import { ErrorCode } from '@quan/domain';
import { classifyError, PROBLEM_CONTENT_TYPE, toProblem } from './problem';

/** The code of each problem answer, for the problem counter written when the request completes (http-app.ts). */
const problemCodes = new WeakMap<FastifyRequest, string>();

export const problemCodeOf = (request: FastifyRequest): string | undefined => problemCodes.get(request);

/**
 * Sends any error as application/problem+json. Nest routes Fastify's own errors (bad JSON,
 * body too large, unknown route) through this filter too, so every error has the same shape.
 */
export function replyWithProblem(error: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const source = classifyError(error);
  if (source.status >= 500 && source.status !== 503) {
    request.log.error({ err: error }, 'request failed');
  } else if (source.status === 503 && source.code !== ErrorCode.Busy) {
    // A shed request (BUSY) is counted by the gate's metrics: a line each would cost the most when there are most.
    request.log.warn({ err: error instanceof Error ? error.message : String(error) }, 'backing service unavailable');
  }
  const problem = toProblem(source, request.id, request.url.split('?')[0]);
  problemCodes.set(request, problem.code);
  // Any problem naming retryAfterSeconds (a lock-out, a shed request): after that long; another 503: retry shortly.
  const retryAfter = source.extensions.retryAfterSeconds ?? (source.status === 503 ? 1 : undefined);
  const retry = typeof retryAfter === 'number' ? { 'retry-after': String(retryAfter) } : {};
  return reply
    .status(source.status)
    .headers({ 'content-type': PROBLEM_CONTENT_TYPE, ...retry })
    .send(problem);
}

/** Global filter: whatever a handler throws leaves as problem+json with a stable code. */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    replyWithProblem(error, http.getRequest<FastifyRequest>(), http.getResponse<FastifyReply>());
  }
}
