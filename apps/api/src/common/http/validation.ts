import { ValidationError, ValidationPipe } from '@nestjs/common';
import { unprocessable } from './errors';

/** Flattens class-validator errors to `{field: [messages]}`, naming each field by its own name. */
export function flattenValidationErrors(errors: ValidationError[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  const visit = (error: ValidationError) => {
    if (error.constraints) {
      const messages = Object.values(error.constraints);
      // A field with a "blank" problem reports only that: the rest would just repeat it.
      const blank = messages.filter((m) => m === "can't be blank");
      (out[error.property] ??= []).push(...(blank.length ? blank : messages));
    }
    error.children?.forEach(visit);
  };
  errors.forEach(visit);
  for (const key of Object.keys(out)) out[key] = [...new Set(out[key])];
  return out;
}

/** The one global ValidationPipe: unknown fields refused, payloads transformed to DTO classes, 422 on error. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    validationError: { target: false, value: false },
    stopAtFirstError: false,
    exceptionFactory: (errors) => unprocessable(flattenValidationErrors(errors)),
  });
}
