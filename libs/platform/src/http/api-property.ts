import { ApiProperty } from '@nestjs/swagger';

/**
 * OpenAPI property helpers for the kinds of value whose TypeScript type tells @nestjs/swagger nothing
 * exact: it reads the emitted `design:type`, where a number is `number` (not integer), `string | null`
 * or an untyped initialiser is `Object` (so the schema said `type: object`), and a branded type such as
 * `Fen` is whatever the brand erases to. Each helper states the schema in full instead, so the document,
 * and the client types generated from it, are the same whichever compiler emitted the metadata.
 */
interface PropertyDoc {
  description?: string;
  /** false for an optional field (as ApiPropertyOptional). */
  required?: boolean;
  nullable?: boolean;
}

interface IntegerDoc extends PropertyDoc {
  example?: number;
  minimum?: number;
  maximum?: number;
  default?: number;
}

/** Instants and days take an example of their own, so sibling fields (opensAt, closesAt) never show the same one. */
interface TemporalDoc extends PropertyDoc {
  example: string;
}

/** A whole number (counts, quantities, limits, versions). */
export const ApiInteger = (doc: IntegerDoc = {}): PropertyDecorator => ApiProperty({ ...doc, type: 'integer' });

/** A ratio (拉动比): the one kind of fractional number in the API, stated as such (format double), to two decimals. */
export const ApiRatio = (doc: PropertyDoc & { example?: number } = {}): PropertyDecorator =>
  ApiProperty({ ...doc, type: 'number', format: 'double' });

/** An amount of money: integer fen (`…Fen` fields, docs/product.md invariant 4), never a float or a string. */
export const ApiFen = (doc: IntegerDoc = {}): PropertyDecorator =>
  ApiProperty({ ...doc, type: 'integer', format: 'int64' });

/** An instant: ISO 8601 with its offset, e.g. 2026-05-01T10:00:00+08:00. */
export const ApiDateTime = (doc: TemporalDoc): PropertyDecorator =>
  ApiProperty({ ...doc, type: 'string', format: 'date-time' });

/** A business day (Asia/Shanghai) as YYYY-MM-DD. */
export const ApiBusinessDay = (doc: TemporalDoc): PropertyDecorator =>
  ApiProperty({ ...doc, type: 'string', format: 'date' });
