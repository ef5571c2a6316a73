import { ArgumentMetadata, ValidationError, ValidationPipe, ValidationPipeOptions } from '@nestjs/common';
import { unprocessable } from './errors';
import { textProblems } from './validators';

/** A constraint that finds several problems joins their messages with this; each becomes an entry. */
export const MESSAGE_SEPARATOR = '\u001e';

const TYPE_CONSTRAINTS = ['isString', 'isArray', 'isObject', 'isInt', 'isNumber', 'isBoolean', 'isNumberString'];

/**
 * Flattens class-validator errors to `{field: [messages]}`, naming each field by its own name.
 * A field reports its most basic problem only: blank, else wrong type, else the rest.
 */
export function flattenValidationErrors(errors: ValidationError[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  const visit = (error: ValidationError) => {
    if (error.constraints) {
      const entries = Object.entries(error.constraints);
      const blank = entries.filter(([, m]) => m === "can't be blank");
      const type = entries.filter(([k]) => TYPE_CONSTRAINTS.includes(k));
      const chosen = blank.length ? blank : type.length ? type : entries;
      (out[error.property] ??= []).push(...chosen.flatMap(([, m]) => m.split(MESSAGE_SEPARATOR)));
    }
    error.children?.forEach(visit);
  };
  errors.forEach(visit);
  for (const key of Object.keys(out)) out[key] = [...new Set(out[key])];
  return out;
}

/** Refuses unstorable text (NUL, unpaired surrogates) anywhere in a body before the DTO rules run. */
class ConduitValidationPipe extends ValidationPipe {
  constructor(options: ValidationPipeOptions) {
    super(options);
  }

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type === 'body') {
      const problems = textProblems(value);
      if (problems) throw unprocessable(problems);
    }
    return super.transform(value, metadata);
  }
}

/**
 * The one global ValidationPipe: unstorable text refused in any body, unknown fields refused,
 * payloads transformed to DTO classes, 422 on error.
 */
export function createValidationPipe(): ValidationPipe {
  return new ConduitValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    validationError: { target: false, value: false },
    stopAtFirstError: false,
    exceptionFactory: (errors) => unprocessable(flattenValidationErrors(errors)),
  });
}
