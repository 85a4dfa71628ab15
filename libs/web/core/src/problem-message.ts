import type { TFunction } from 'i18next';
import { ErrorCode } from '@quan/domain';
import { isApiProblem } from '@quan/web-api';

/** When the api asked to wait without saying how long. */
const DEFAULT_WAIT_SECONDS = 5;

/** The plain message for a failed call, in the current language; anything that is not an ApiProblem reads as INTERNAL. */
export function problemMessage(problem: unknown, t: TFunction): string {
  const code = isApiProblem(problem) ? problem.code : ErrorCode.Internal;
  const seconds = isApiProblem(problem) ? (problem.retryAfterSeconds ?? DEFAULT_WAIT_SECONDS) : DEFAULT_WAIT_SECONDS;
  return t(`errors:${code}`, { seconds });
}
