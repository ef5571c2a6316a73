export * from './common/errors.js';
export * from './users/users.js';
export * from './api-tokens/api-tokens.js';
export * from './articles/articles.js';
export * from './ip/ip-allowlist.js';
export * from './security-log/security-log.js';
export * from './notifications/notifications.js';
export * from './token-policy/token-policy.js';
