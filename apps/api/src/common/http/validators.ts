import { ValidateBy, ValidationOptions } from 'class-validator';

/** The answer for an empty (or whitespace-only) required field, as RealWorld clients expect it. */
export const BLANK_MESSAGE = "can't be blank";

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
 * No NUL characters: PostgreSQL cannot store them in text (it would answer with an error, i.e. a 500).
 * Other control characters are stored as given.
 */
export function HasNoNul(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'hasNoNul',
      validator: {
        validate: (value: unknown) => typeof value !== 'string' || !value.includes('\u0000'),
        defaultMessage: () => 'must not contain NUL characters',
      },
    },
    options,
  );
}

/**
 * Each item of an array is a non-blank string of at most `maxLength` characters without NUL
 * (validated only when the value is an array: its type is another validator's business). One
 * message: the first problem found.
 */
export function EachNonBlankString(maxLength: number, options?: ValidationOptions): PropertyDecorator {
  const problem = (value: unknown): string | null => {
    if (!Array.isArray(value)) return null;
    for (const item of value) {
      if (typeof item !== 'string') return 'must contain only strings';
      if (item.trim().length === 0) return "can't contain blank tags";
      if (item.length > maxLength) return `has a tag that is too long (maximum is ${maxLength} characters)`;
      if (item.includes('\u0000')) return 'must not contain NUL characters';
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
