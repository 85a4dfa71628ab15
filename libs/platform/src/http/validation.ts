import { ValidationError, ValidationPipe } from '@nestjs/common';
import { DomainError, ErrorCode } from '@quan/domain';

export interface FieldError {
  field: string;
  messages: string[];
}

function flatten(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = error.constraints ? [{ field, messages: Object.values(error.constraints) }] : [];
    return [...own, ...flatten(error.children ?? [], field)];
  });
}

/** DTOs are validated and stripped of unknown fields; a violation is a 400 VALIDATION_FAILED naming each field. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    stopAtFirstError: false,
    exceptionFactory: (errors) => {
      const fields = flatten(errors);
      return new DomainError(ErrorCode.ValidationFailed, `Invalid request: ${fields.map((f) => f.field).join(', ')}`, { errors: fields });
    },
  });
}
