import { isPossibleSlug, SLUG_BASE_MAX_LENGTH, slugify, withSuffix } from './slug';

describe('slugify', () => {
  it.each([
    ['How to Train Your Dragon', 'how-to-train-your-dragon'],
    ['  Hello,   World!! ', 'hello-world'],
    ['Crème brûlée à la carte', 'creme-brulee-a-la-carte'],
    ["Don't panic", 'dont-panic'],
    ['Straße', 'strasse'],
    ['C++ & Rust: 2024 edition', 'c-rust-2024-edition'],
    ['---', 'article'],
    ['你好世界', 'article'],
    ['🚀🚀', 'article'],
    ['a/b\\c?d#e%f', 'a-b-c-d-e-f'],
  ])('%j → %j', (title, slug) => {
    expect(slugify(title)).toBe(slug);
  });

  it('caps the base without leaving a trailing dash', () => {
    const slug = slugify(`${'a'.repeat(SLUG_BASE_MAX_LENGTH - 1)} bcd`);
    expect(slug.length).toBeLessThanOrEqual(SLUG_BASE_MAX_LENGTH);
    expect(slug.endsWith('-')).toBe(false);
    expect(isPossibleSlug(slug)).toBe(true);
  });

  it('always yields a slug the routes accept, whatever the title', () => {
    for (const title of ['x', ' ', '\u0000', 'É'.repeat(500), '-a-', 'a--b', 'Ǆemal', '١٢٣']) {
      expect(isPossibleSlug(slugify(title))).toBe(true);
    }
  });
});

describe('withSuffix', () => {
  it('appends 8 lowercase letters or digits and stays a valid slug', () => {
    const slug = withSuffix('hello');
    expect(slug).toMatch(/^hello-[a-z0-9]{8}$/);
    expect(isPossibleSlug(withSuffix(slugify('z'.repeat(500))))).toBe(true);
  });

  it('differs between calls', () => {
    expect(new Set(Array.from({ length: 50 }, () => withSuffix('a'))).size).toBe(50);
  });
});

describe('isPossibleSlug', () => {
  it.each(['', 'UPPER', 'a b', 'a%20b', 'héllo', '-a', 'a-', 'a--b', 'a\u0000', 'x'.repeat(121)])('refuses %j', (value) => {
    expect(isPossibleSlug(value)).toBe(false);
  });
});
