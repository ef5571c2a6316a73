import { READ_WRITE_PERMISSIONS, type ApiToken, type Article, type Comment, type Notification, type Profile, type SecurityEvent, type SecurityEventBase, type User } from '@conduit/contracts';

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
    recentIps: [],
    permissions: READ_WRITE_PERMISSIONS,
    state: 'active',
    retiresAt: null,
    endedAt: null,
    endReason: null,
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

let notificationSeq = 0;
export function buildNotification(overrides: Partial<Notification> = {}): Notification {
  notificationSeq += 1;
  return {
    id: `00000000-0000-4000-8000-${String(notificationSeq).padStart(12, '0')}`,
    kind: 'token_expiring',
    createdAt: new Date(Date.now() - notificationSeq * 60_000).toISOString(),
    readAt: null,
    tokenId: null,
    message: `Notification ${notificationSeq}`,
    ...overrides,
  };
}

let nextEventId = 1000;

/** A security event; `type` and `detail` go together (SecurityEventDetails). */
export function buildSecurityEvent(overrides: Partial<SecurityEventBase> & Partial<Pick<SecurityEvent, 'type' | 'detail'>> = {}): SecurityEvent {
  return {
    id: String(nextEventId--),
    type: 'session.signed_in',
    createdAt: daysAgo(1),
    ip: '203.0.113.7',
    userAgent: 'Mozilla/5.0',
    tokenId: null,
    tokenName: null,
    tokenHint: null,
    detail: { via: 'password' },
    ...overrides,
  } as SecurityEvent;
}

export function buildProfile(overrides: Partial<Profile> = {}): Profile {
  return { username: 'grace', bio: null, image: null, following: false, ...overrides };
}

let articleSeq = 0;
export function buildArticle(overrides: Partial<Article> = {}): Article {
  articleSeq += 1;
  const title = overrides.title ?? `Article ${articleSeq}`;
  return {
    slug: title.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, ''),
    title,
    description: `About ${title}`,
    body: `The body of ${title}.`,
    tagList: [],
    createdAt: new Date(Date.UTC(2026, 10, 1) + articleSeq * 60_000).toISOString(),
    updatedAt: new Date(Date.UTC(2026, 10, 1) + articleSeq * 60_000).toISOString(),
    favorited: false,
    favoritesCount: 0,
    author: buildProfile(),
    ...overrides,
  };
}

let commentSeq = 0;
export function buildComment(overrides: Partial<Comment> = {}): Comment {
  commentSeq += 1;
  return {
    id: commentSeq,
    body: `Comment ${commentSeq}`,
    createdAt: new Date(Date.UTC(2026, 10, 2) + commentSeq * 60_000).toISOString(),
    updatedAt: new Date(Date.UTC(2026, 10, 2) + commentSeq * 60_000).toISOString(),
    author: buildProfile(),
    ...overrides,
  };
}
