import { PipeTransform, ValidationError, ValidationPipe } from '@nestjs/common';
import Ajv, { ErrorObject, JSONSchemaType, ValidateFunction } from 'ajv';
import { isUUID } from 'class-validator';
import { DomainError, ErrorCode } from '@quan/domain';

export interface FieldError {
  field: string;
  messages: string[];
}

/** The 400 every validation failure answers: VALIDATION_FAILED naming each field and what is wrong with it. */
export function validationFailed(fields: FieldError[]): DomainError {
  return new DomainError(ErrorCode.ValidationFailed, `Invalid request: ${fields.map((f) => f.field).join(', ')}`, {
    errors: fields,
  });
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
    exceptionFactory: (errors) => validationFailed(flatten(errors)),
  });
}

/** A JSON schema that TypeScript checks against the type it validates. */
export type JsonSchemaOf<T> = JSONSchemaType<T>;

const ajv = new Ajv({ allErrors: true });
// The uuids the DTOs' @IsUUID() takes, by the same rule.
ajv.addFormat('uuid', { type: 'string', validate: (value) => isUUID(value) });

/** ajv names a missing or unknown property in params, not in the path; both get a message of their own. */
const PROPERTY_ERRORS: Record<string, [param: string, message: string]> = {
  required: ['missingProperty', 'is required'],
  additionalProperties: ['additionalProperty', 'should not exist'],
};

function fieldsOf(errors: ErrorObject[]): FieldError[] {
  const byField = new Map<string, string[]>();
  for (const error of errors) {
    const [param, propertyMessage] = PROPERTY_ERRORS[error.keyword] ?? [];
    const path = error.instancePath
      .split('/')
      .slice(1)
      .concat(param ? [String(error.params[param])] : []);
    const field = path.join('.') || 'body';
    const message = propertyMessage ?? error.message ?? 'is invalid';
    byField.set(field, [...(byField.get(field) ?? []), `${field} ${message}`]);
  }
  return [...byField].map(([field, messages]) => ({ field, messages }));
}

/**
 * Validates a body against a JSON schema compiled once (ajv), for the hot path: class-transformer and
 * class-validator rebuild the object and walk every DTO's metadata on each request (docs/benchmarks.md). The
 * same answer as the DTOs: unknown fields and violations are a 400 VALIDATION_FAILED naming each field
 * (in ajv's words; a body that is not an object names the field `body`).
 */
export class SchemaPipe<T> implements PipeTransform<unknown, T> {
  private readonly validate: ValidateFunction<T>;

  constructor(schema: JsonSchemaOf<T>) {
    this.validate = ajv.compile(schema);
  }

  transform(value: unknown): T {
    const body = value ?? {};
    if (this.validate(body)) return body;
    throw validationFailed(fieldsOf(this.validate.errors ?? []));
  }
}
