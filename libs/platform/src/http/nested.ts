import { applyDecorators } from '@nestjs/common';
import { Type } from 'class-transformer';
import { IsObject, ValidateIf, ValidateNested } from 'class-validator';

/**
 * A required nested object validated by its own DTO. `@ValidateNested` alone lets a missing or null value
 * through to the service (which then reads a property of undefined); `@IsObject` refuses it with 400.
 * Under `PartialType` the field becomes optional: absent is allowed, and so is null
 * (docs/decisions/2026-12-07-null-is-a-value-in-change-dtos.md).
 */
export const IsNestedObject = (type: () => new () => object): PropertyDecorator =>
  applyDecorators(IsObject(), ValidateNested(), Type(type));

/**
 * `PartialType(Dto, NULL_IS_A_VALUE)` for a DTO of changes: an absent member is left unchanged, and null is
 * validated like any other value (so `{"limits": null}` is a 400, not a null the service dereferences).
 * Without it, PartialType's `@IsOptional` lets null through every rule. A member that may be cleared with
 * null says so with its own `@IsOptional()`.
 */
export const NULL_IS_A_VALUE = { skipNullProperties: false } as const;

/**
 * Optional but not nullable: an absent member is skipped, and null is validated (so refused by the
 * member's own rules). `@IsOptional()` lets null through too, which a member the service reads as a value
 * (an object, a NOT NULL column) must not.
 */
export const IsOmittable = (): PropertyDecorator =>
  ValidateIf((_object: object, value: unknown) => value !== undefined);
