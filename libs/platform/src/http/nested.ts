import { applyDecorators } from '@nestjs/common';
import { Type } from 'class-transformer';
import { IsObject, ValidateNested } from 'class-validator';

/**
 * A required nested object validated by its own DTO. `@ValidateNested` alone lets a missing or null value
 * through to the service (which then reads a property of undefined); `@IsObject` refuses it with 400.
 * Under `PartialType` the field becomes optional: absent is allowed, and so is null (see decisions.md).
 */
export const IsNestedObject = (type: () => new () => object): PropertyDecorator =>
  applyDecorators(IsObject(), ValidateNested(), Type(type));
