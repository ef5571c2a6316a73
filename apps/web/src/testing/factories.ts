import type { ApiToken, User } from '@conduit/contracts';

const DAY = 86_400_000;

export function daysAgo(days: number, from: Date = new Date()): string {
  return new Date(from.getTime() - days * DAY).toISOString();
}

export function daysFromNow(days: number, from: Date = new Date()): string {
  return new Date(from.getTime() + days * DAY).toISOString();
}

let nextId = 1;

export function buildApiToken(overrides: Partial<ApiToken> = {}): ApiToken {
  const id = `00000000-0000-4000-8000-${String(nextId++).padStart(12, '0')}`;
  return {
    id,
    name: 'GitHub Actions, staging',
    hint: 'a1B2',
    createdAt: daysAgo(3),
    expiresAt: daysFromNow(27),
    allowedIps: [],
    lastUsedAt: null,
    lastUsedIp: null,
    state: 'active',
    retiresAt: null,
    ...overrides,
  };
}

export function buildUser(overrides: Partial<User> = {}): User {
  return {
    email: 'ada@example.com',
    username: 'ada',
    bio: null,
    image: null,
    timezone: 'UTC',
    token: 'test.session.jwt',
    ...overrides,
  };
}
