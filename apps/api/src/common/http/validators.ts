import { applyDecorators } from '@nestjs/common';
import { Type } from 'class-transformer';
import { IsDefined, IsNotEmpty, IsObject, IsOptional, IsString, ValidateBy, ValidateIf, ValidateNested, ValidationOptions } from 'class-validator';

/**
 * The request-body kit every DTO uses: the RealWorld wrapper object, the messages and the
 * field rules that recur across features. One definition each; DTO files import them from here.
 */

/** The answer for an empty (or whitespace-only) required field, as RealWorld clients expect it. */
export const BLANK_MESSAGE = "can't be blank";

/** The options of `@IsString` wherever a field must be a string. */
export const MUST_BE_STRING = { message: 'must be a string' };

/** The options of `@MaxLength(max, …)`: "is too long (maximum is N characters)". */
export const tooLong = (max: number) => ({ message: `is too long (maximum is ${max} characters)` });

/** Validates the field only when it was sent; present-but-null counts (`{"email": null}` is refused, not ignored). */
export const present = (field: string) => ValidateIf((o: Record<string, unknown>) => o[field] !== undefined);

/** A required wrapper object such as `{"user": {...}}`, validated as `type`. */
export function Wrapper(type: () => new () => object) {
  return function (target: object, key: string) {
    IsDefined({ message: BLANK_MESSAGE })(target, key);
    IsObject({ message: 'must be an object' })(target, key);
    ValidateNested()(target, key);
    Type(type)(target, key);
  };
}

/** A wrapper object that may be left out (e.g. `{"rotation": {...}}`), validated as `type` when sent. */
export function OptionalWrapper(type: () => new () => object) {
  return function (target: object, key: string) {
    IsOptional()(target, key);
    IsObject({ message: 'must be an object' })(target, key);
    ValidateNested()(target, key);
    Type(type)(target, key);
  };
}

/** A required string: "can't be blank" when missing, null or empty; "must be a string" for another type. */
export const RequiredString = () =>
  applyDecorators(IsDefined({ message: BLANK_MESSAGE }), IsString(MUST_BE_STRING), IsNotEmpty({ message: BLANK_MESSAGE }));

/** A field that may be left out; when sent, the same rules as RequiredString (null is blank). */
export const OptionalString = (field: string) =>
  applyDecorators(present(field), IsString(MUST_BE_STRING), IsNotEmpty({ message: BLANK_MESSAGE }));

/** A required string that must hold something other than whitespace. */
export const RequiredText = () => applyDecorators(IsDefined({ message: BLANK_MESSAGE }), IsString(MUST_BE_STRING), IsNotBlank());

/** A string with something other than whitespace in it ("can't be blank" otherwise). */
export function IsNotBlank(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isNotBlank',
      validator: {
        validate: (value: unknown) => typeof value !== 'string' || value.trim().length > 0,
        defaultMessage: () => BLANK_MESSAGE,
      },
    },
    options,
  );
}

/**
 * Each item of an array is a non-blank string of at most `maxLength` characters (validated only
 * when the value is an array: its type is another validator's business). One message: the first
 * problem found. (NUL and unpaired surrogates are refused for every body string: see textProblems.)
 */
export function EachNonBlankString(maxLength: number, options?: ValidationOptions): PropertyDecorator {
  const problem = (value: unknown): string | null => {
    if (!Array.isArray(value)) return null;
    for (const item of value) {
      if (typeof item !== 'string') return 'must contain only strings';
      if (item.trim().length === 0) return "can't contain blank tags";
      if (item.length > maxLength) return `has a tag that is too long (maximum is ${maxLength} characters)`;
    }
    return null;
  };
  return ValidateBy(
    {
      name: 'eachNonBlankString',
      validator: {
        validate: (value: unknown) => problem(value) === null,
        defaultMessage: (args) => problem(args?.value) ?? 'is invalid',
      },
    },
    options,
  );
}

/** True when a path or query value is something PostgreSQL can compare (no NUL) and not absurdly long. */
export function isQueryableText(value: string, maxLength: number): boolean {
  return value.length > 0 && value.length <= maxLength && !value.includes('\u0000');
}

/** "12" → 12 for query strings (which arrive as strings); anything else is left for the validators to refuse. */
export function toIntegerIfNumeric({ value }: { value: unknown }): unknown {
  return typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : value;
}

export const NUL_MESSAGE = 'must not contain NUL characters';
export const SURROGATE_MESSAGE = 'must be valid Unicode text (it contains an unpaired surrogate)';

// eslint-disable-next-line no-control-regex
const UNSTORABLE = /[\u0000\ud800-\udfff]/;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * Every string of a request body, at any depth, named by the field that holds it (an array's
 * items by the array's field): NUL characters (PostgreSQL cannot store them in text) and unpaired
 * UTF-16 surrogates (not text at all; validators and the database choke on them) are refused.
 * One global rule rather than a decorator per field, so that no field can forget it. Depth is
 * bounded by the JSON parser (MAX_JSON_DEPTH).
 */
export function textProblems(body: unknown): Record<string, string[]> | null {
  let out: Record<string, string[]> | null = null;
  const visit = (value: unknown, field: string) => {
    if (typeof value === 'string') {
      if (!UNSTORABLE.test(value)) return;
      const message = value.includes('\u0000') ? NUL_MESSAGE : LONE_SURROGATE.test(value) ? SURROGATE_MESSAGE : null;
      if (message) {
        out ??= Object.create(null) as Record<string, string[]>; // a field may be named "constructor" or "__proto__"
        const messages = (out[field] ??= []);
        if (!messages.includes(message)) messages.push(message);
      }
    } else if (Array.isArray(value)) {
      for (const item of value) visit(item, field);
    } else if (typeof value === 'object' && value !== null) {
      for (const [key, item] of Object.entries(value)) {
        if (UNSTORABLE.test(key)) visit(key, key);
        visit(item, key);
      }
    }
  };
  visit(body, 'body');
  return out;
}
