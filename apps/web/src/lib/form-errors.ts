import { ApiError, errorMessage, isReauthenticationRefusal } from './api-client';

/**
 * Splits an API error into messages for the form's fields (by the API's field name, optionally
 * renamed via `aliases`) and the rest, shown at the top of the form.
 */
export function splitErrors<F extends string>(
  error: unknown,
  fields: readonly F[],
  aliases: Partial<Record<string, F>> = {},
): { byField: Partial<Record<F, string[]>>; other: string[] } {
  const byField: Partial<Record<F, string[]>> = {};
  const other: string[] = [];
  if (!error) return { byField, other };
  if (!(error instanceof ApiError) || Object.keys(error.errors).length === 0 || error.status === 429 || isReauthenticationRefusal(error)) {
    return { byField, other: [errorMessage(error)] };
  }
  for (const [key, messages] of Object.entries(error.errors)) {
    const target = (aliases[key] ?? (fields as readonly string[]).find((f) => f === key)) as F | undefined;
    if (target) byField[target] = [...(byField[target] ?? []), ...messages.map((m) => sentence(key, m))];
    else other.push(...messages.map((m) => sentence(key, m)));
  }
  return { byField, other };
}

/** "can't be blank" → "Email can't be blank"; messages that already read as a sentence stay. */
function sentence(field: string, message: string): string {
  if (/^[A-Z"“]/.test(message)) return message;
  const label = field.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
  const capital = label.charAt(0).toUpperCase() + label.slice(1);
  return `${capital} ${message}`;
}
