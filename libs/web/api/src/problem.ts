import { ErrorCode } from '@quan/domain';

/** `NETWORK`: no answer at all (offline, DNS, connection refused, aborted). */
export type ProblemCode = ErrorCode | 'NETWORK';

export interface FieldProblem {
  field: string;
  messages: string[];
}

const KNOWN_CODES = new Set<string>(Object.values(ErrorCode));

/**
 * Every failed call, as the apps see it: the api's problem+json (status, stable `code`) or, when no
 * answer came back, status 0 and code NETWORK. `retryAfterSeconds` comes from the body or the
 * Retry-After header (rate limits, 503).
 */
export class ApiProblem extends Error {
  constructor(
    readonly status: number,
    readonly code: ProblemCode,
    readonly detail: string,
    readonly retryAfterSeconds: number | undefined,
    readonly fields: FieldProblem[],
    readonly body: unknown,
  ) {
    super(`${status} ${code}: ${detail}`);
    this.name = 'ApiProblem';
  }

  /** Whether the outcome is unknown or temporary, so the same request may be sent again. */
  get retryable(): boolean {
    return this.code === 'NETWORK' || this.status === 503 || this.status === 502 || this.status === 504;
  }

  static network(cause: unknown): ApiProblem {
    return new ApiProblem(
      0,
      'NETWORK',
      cause instanceof Error ? cause.message : String(cause),
      undefined,
      [],
      undefined,
    );
  }

  /** Any failure as an ApiProblem: a thrown non-problem is a request whose answer never came. */
  static from(error: unknown): ApiProblem {
    return error instanceof ApiProblem ? error : ApiProblem.network(error);
  }

  /** Reads a non-2xx answer; a body that is not problem+json (a proxy's HTML page) still yields a code from the status. */
  static async fromResponse(response: Response): Promise<ApiProblem> {
    const text = await response.text().catch(() => '');
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON: keep the text
    }
    const record = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
    const code =
      typeof record.code === 'string' && KNOWN_CODES.has(record.code)
        ? (record.code as ErrorCode)
        : codeOfStatus(response.status);
    const detail = typeof record.detail === 'string' ? record.detail : response.statusText;
    const fromBody = typeof record.retryAfterSeconds === 'number' ? record.retryAfterSeconds : undefined;
    const header = Number(response.headers.get('retry-after'));
    const retryAfterSeconds =
      fromBody ?? (response.headers.has('retry-after') && Number.isFinite(header) ? header : undefined);
    const fields = Array.isArray(record.errors) ? (record.errors as FieldProblem[]) : [];
    return new ApiProblem(response.status, code, detail, retryAfterSeconds, fields, body);
  }
}

function codeOfStatus(status: number): ErrorCode {
  if (status === 401) return ErrorCode.Unauthenticated;
  if (status === 403) return ErrorCode.Forbidden;
  if (status === 404) return ErrorCode.NotFound;
  if (status === 429) return ErrorCode.RateLimited;
  if (status === 502 || status === 503 || status === 504) return ErrorCode.Unavailable;
  if (status >= 500) return ErrorCode.Internal;
  return ErrorCode.ValidationFailed;
}

export function isApiProblem(error: unknown): error is ApiProblem {
  return error instanceof ApiProblem;
}
