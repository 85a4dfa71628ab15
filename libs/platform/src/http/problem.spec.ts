import { BadRequestException, NotFoundException, PayloadTooLargeException } from '@nestjs/common';
import { commitOutcomeUnknown, StatementNotSent } from '@quan/data';
import { DomainError, ErrorCode } from '@quan/domain';
import { classifyError, HTTP_STATUS_BY_CODE, toProblem } from './problem';

describe('problem details', () => {
  it('maps every error code to a 4xx or 5xx status', () => {
    for (const code of Object.values(ErrorCode)) {
      expect(HTTP_STATUS_BY_CODE[code]).toBeGreaterThanOrEqual(400);
      expect(HTTP_STATUS_BY_CODE[code]).toBeLessThan(600);
    }
  });

  it('keeps a domain error code, message and details', () => {
    const source = classifyError(new DomainError(ErrorCode.CountyNotFound, 'No county x', { county: 'x' }));
    expect(source).toEqual({ status: 404, code: 'COUNTY_NOT_FOUND', detail: 'No county x', extensions: { county: 'x' } });
  });

  it('gives framework 4xx errors a code by status', () => {
    expect(classifyError(new NotFoundException()).code).toBe(ErrorCode.NotFound);
    expect(classifyError(new BadRequestException()).code).toBe(ErrorCode.ValidationFailed);
    expect(classifyError(new PayloadTooLargeException()).code).toBe(ErrorCode.PayloadTooLarge);
  });

  it('turns lost Postgres or Redis connections into 503 UNAVAILABLE', () => {
    expect(classifyError(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:6379'), { code: 'ECONNREFUSED' })).status).toBe(503);
    expect(classifyError(new Error('Connection is closed.')).code).toBe(ErrorCode.Unavailable);
    expect(classifyError(new Error('Command timed out')).code).toBe(ErrorCode.Unavailable);
  });

  it('turns a Postgres that does not answer in time into 503 UNAVAILABLE', () => {
    expect(classifyError(Object.assign(new Error('canceling statement due to statement timeout'), { code: '57014' })).status).toBe(503);
    expect(classifyError(new Error('Query read timeout')).status).toBe(503);
  });

  it('turns a statement that could not be sent into 503 UNAVAILABLE, whatever the connection failed with', () => {
    const tooMany = Object.assign(new Error('sorry, too many clients already'), { code: '53300' });
    expect(classifyError(tooMany).status).toBe(500);
    expect(classifyError(new StatementNotSent(tooMany))).toMatchObject({ status: 503, code: ErrorCode.Unavailable });
    expect(commitOutcomeUnknown(new StatementNotSent(new Error('Connection terminated unexpectedly')))).toBe(false);
  });

  it('turns every failure that may have left a statement committed into 503 UNAVAILABLE', () => {
    // A batch that fails this way is failed whole (GroupCommit's failsEveryItem), never sent again in halves.
    const answerLost = [
      Object.assign(new Error('terminating connection due to crash of another server process'), { code: '57P02' }),
      new Error('Received unexpected commandComplete message from backend.'),
      new Error('Connection terminated unexpectedly'),
    ];
    for (const error of answerLost) {
      expect(commitOutcomeUnknown(error)).toBe(true);
      expect(classifyError(error).status).toBe(503);
    }
  });

  it('hides the message of unexpected errors behind 500 INTERNAL', () => {
    const source = classifyError(new TypeError('cannot read x of undefined'));
    expect(source.status).toBe(500);
    expect(source.code).toBe(ErrorCode.Internal);
    expect(source.detail).not.toContain('undefined');
  });

  it('renders RFC 9457 fields with the request id', () => {
    const problem = toProblem(classifyError(new DomainError(ErrorCode.Conflict, 'busy')), 'req-1', '/api/v1/x');
    expect(problem).toMatchObject({ type: 'urn:quan:problem:conflict', title: 'Conflict', status: 409, code: 'CONFLICT', instance: '/api/v1/x', requestId: 'req-1' });
  });
});
