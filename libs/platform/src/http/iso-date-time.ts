import { applyDecorators } from '@nestjs/common';
import { IsInt, IsISO8601, Matches, Max, Min, ValidateBy, ValidationArguments } from 'class-validator';
import { businessDayStart } from '@quan/domain';

const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * An ISO 8601 date-time that exists (no 2 月 30 日) and carries its offset (Z or ±hh:mm), e.g.
 * 2026-05-01T10:00:00+08:00; a bare local time is refused.
 */
export const IsIsoDateTime = (): PropertyDecorator =>
  applyDecorators(
    Matches(ISO_WITH_OFFSET, {
      message: ({ property }) =>
        `${property} must be an ISO 8601 date-time with an offset, e.g. 2026-05-01T10:00:00+08:00`,
    }),
    IsISO8601({ strict: true }, { message: ({ property }) => `${property} must be a date and time that exist` }),
  );

/**
 * An amount of fen: a whole number that JavaScript and Postgres bigint hold exactly (docs/product.md invariant 4),
 * within `min` and `max` when given. One rule with one message per failure: a string or a fraction is told
 * it must be an integer number of fen, not also the bounds it cannot be compared with.
 */
export const IsFen = ({
  min = -Number.MAX_SAFE_INTEGER,
  max = Number.MAX_SAFE_INTEGER,
}: { min?: number; max?: number } = {}): PropertyDecorator =>
  ValidateBy({
    name: 'isFen',
    constraints: [min, max],
    validator: {
      validate: (value: unknown) => Number.isSafeInteger(value) && (value as number) >= min && (value as number) <= max,
      defaultMessage: ({ property, value }: ValidationArguments) => {
        if (!Number.isSafeInteger(value)) return `${property} must be an integer number of fen`;
        return (value as number) < min
          ? `${property} must be at least ${min} fen`
          : `${property} must be at most ${max} fen`;
      },
    },
  });

/** A whole number that fits a Postgres integer column. */
export const IsInt32 = (): PropertyDecorator => applyDecorators(IsInt(), Min(-2_147_483_648), Max(2_147_483_647));

/** Whether a value is a real calendar day written YYYY-MM-DD (2026-02-30 is not). */
export const isBusinessDay = (value: unknown): boolean => {
  try {
    return typeof value === 'string' && businessDayStart(value) instanceof Date;
  } catch {
    return false;
  }
};

/** A business day written YYYY-MM-DD that exists. */
export const IsBusinessDay = (): PropertyDecorator =>
  ValidateBy({
    name: 'isBusinessDay',
    validator: { validate: isBusinessDay, defaultMessage: () => '$property must be a day written YYYY-MM-DD' },
  });
