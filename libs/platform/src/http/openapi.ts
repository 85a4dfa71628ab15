import { applyDecorators } from '@nestjs/common';
import { ApiExtraModels, ApiProperty, ApiResponse, getSchemaPath } from '@nestjs/swagger';
import { ErrorCode } from '@quan/domain';
import { HTTP_STATUS_BY_CODE } from './problem';

/** The body of every error: RFC 9457 problem details with Quan's stable code. */
export class ProblemDto {
  @ApiProperty({ example: 'urn:quan:problem:campaign-not-found' })
  type!: string;

  @ApiProperty({ example: 'Not Found' })
  title!: string;

  @ApiProperty({ example: 404, description: 'The HTTP status of this answer; no other member of a problem takes this name' })
  status!: number;

  @ApiProperty({ enum: ErrorCode, enumName: 'ErrorCode' })
  code!: ErrorCode;

  @ApiProperty({ example: 'No campaign 0b7e6d4c-2a19-4f8b-8c3d-5e6f7a8b9c0d' })
  detail!: string;

  @ApiProperty({ example: '/api/v1/campaigns/0b7e6d4c-2a19-4f8b-8c3d-5e6f7a8b9c0d' })
  instance!: string;

  @ApiProperty({ example: '3f1c2a9e-6f43-4c5e-9a71-2b8d5f0e4c11' })
  requestId!: string;
}

/**
 * Documents the error codes an endpoint can answer with: one response per HTTP status (taken from
 * HTTP_STATUS_BY_CODE), whose problem+json schema narrows `code` to exactly those codes.
 */
export function ApiProblems(...codes: ErrorCode[]): MethodDecorator & ClassDecorator {
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of new Set(codes)) {
    const status = HTTP_STATUS_BY_CODE[code];
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  const responses = [...byStatus.entries()].map(([status, statusCodes]) =>
    ApiResponse({
      status,
      description: statusCodes.join(', '),
      content: {
        'application/problem+json': {
          schema: { allOf: [{ $ref: getSchemaPath(ProblemDto) }, { type: 'object', properties: { code: { type: 'string', enum: statusCodes } } }] },
        },
      },
    }),
  );
  return applyDecorators(ApiExtraModels(ProblemDto), ...responses);
}
