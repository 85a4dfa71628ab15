import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayNotEmpty, IsIn, IsOptional } from 'class-validator';

const split = ({ value }: { value: unknown }) =>
  typeof value === 'string'
    ? value.split(',')
    : Array.isArray(value)
      ? value.flatMap((item) => String(item).split(','))
      : value;

/**
 * A query filter taking one or more of `values`, comma-separated (`?status=claimed,redeemed`) or with the
 * parameter repeated (how generated clients send arrays). Any other value, or an empty one, is a 400
 * VALIDATION_FAILED rather than a filter silently ignored.
 */
export const IsValueList = (values: readonly string[], description: string): PropertyDecorator =>
  applyDecorators(
    ApiPropertyOptional({
      type: 'array',
      items: { type: 'string', enum: [...values] },
      description: `${description}. Comma-separated, or the parameter repeated`,
    }),
    IsOptional(),
    Transform(split),
    ArrayNotEmpty(),
    IsIn(values, {
      each: true,
      message: ({ property }) => `${property} takes one or more of ${values.join(', ')}, comma-separated`,
    }),
  );
