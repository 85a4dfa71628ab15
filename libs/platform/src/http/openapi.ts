import { applyDecorators } from '@nestjs/common';
import {
  ApiExtraModels,
  ApiProperty,
  ApiPropertyOptional,
  ApiResponse,
  ApiSchema,
  getSchemaPath,
} from '@nestjs/swagger';
import { ErrorCode } from '@quan/domain';
import { ApiInteger } from './api-property';
import { HTTP_STATUS_BY_CODE } from './problem';

/** One field of a VALIDATION_FAILED problem. */
export class FieldErrorDto {
  @ApiProperty({ example: 'limits.perPerson', description: 'The field, as a path into the body or query' })
  field!: string;

  @ApiProperty({ type: [String], example: ['perPerson must not be less than 1'] })
  messages!: string[];
}

/** The body of every error: RFC 9457 problem details with Quan's stable code. */
@ApiSchema({
  description:
    'RFC 9457 problem details (application/problem+json). `code` is stable; some codes add members of their own (named in their detail), never in place of these.',
})
export class ProblemDto {
  @ApiProperty({ example: 'urn:quan:problem:campaign-not-found' })
  type!: string;

  @ApiProperty({ example: 'Not Found' })
  title!: string;

  @ApiInteger({
    example: 404,
    description: 'The HTTP status of this answer; no other member of a problem takes this name',
  })
  status!: number;

  @ApiProperty({ enum: ErrorCode, enumName: 'ErrorCode' })
  code!: ErrorCode;

  @ApiProperty({ example: 'No campaign 0b7e6d4c-2a19-4f8b-8c3d-5e6f7a8b9c0d' })
  detail!: string;

  @ApiProperty({ example: '/api/v1/campaigns/0b7e6d4c-2a19-4f8b-8c3d-5e6f7a8b9c0d' })
  instance!: string;

  @ApiProperty({ example: '3f1c2a9e-6f43-4c5e-9a71-2b8d5f0e4c11' })
  requestId!: string;

  @ApiPropertyOptional({ type: [FieldErrorDto], description: 'VALIDATION_FAILED: each field refused and why' })
  errors?: FieldErrorDto[];
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
          schema: {
            allOf: [
              { $ref: getSchemaPath(ProblemDto) },
              { type: 'object', required: ['code'], properties: { code: { type: 'string', enum: statusCodes } } },
            ],
          },
        },
      },
    }),
  );
  return applyDecorators(ApiExtraModels(ProblemDto), ...responses);
}
