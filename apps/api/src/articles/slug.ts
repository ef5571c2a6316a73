import { randomBytes } from 'node:crypto';

/** Longest slug base (before the uniqueness suffix); the column holds 120. */
export const SLUG_BASE_MAX_LENGTH = 96;
/** What a slug may look like; anything else in a URL cannot name an article (404 without a query). */
export const SLUG_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
export const SLUG_MAX_LENGTH = 120;

const SUFFIX_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

/**
 * "How to Train Your Dragon!" → "how-to-train-your-dragon". Accents are folded to ASCII
 * ("Crème brûlée" → "creme-brulee"); anything else that is not a letter or digit separates words.
 * A title with no ASCII letters or digits at all (emoji, CJK) gives "article".
 */
export function slugify(title: string): string {
  const base = title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/ß/g, 'ss')
    .replace(/['’]/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  const cut = base.slice(0, SLUG_BASE_MAX_LENGTH).replace(/-+$/, '');
  return cut || 'article';
}

/** `base` plus a short random suffix, for when `base` is already taken. */
export function withSuffix(base: string, random: (size: number) => Buffer = randomBytes): string {
  const bytes = random(8);
  let suffix = '';
  for (const byte of bytes) suffix += SUFFIX_ALPHABET[byte % SUFFIX_ALPHABET.length];
  return `${base}-${suffix}`;
}

/** True when `value` could be a slug this API generated. */
export function isPossibleSlug(value: string): boolean {
  return value.length <= SLUG_MAX_LENGTH && SLUG_PATTERN.test(value);
}
