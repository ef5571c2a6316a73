/**
 * What an API token may do: an access level per resource. `write` includes `read`. Sessions have
 * every permission; a token has the ones chosen when it was created.
 */
export const API_TOKEN_RESOURCES = ['articles', 'comments', 'social', 'account'] as const;
export type ApiTokenResource = (typeof API_TOKEN_RESOURCES)[number];

export const PERMISSION_LEVELS = ['none', 'read', 'write'] as const;
export type PermissionLevel = (typeof PERMISSION_LEVELS)[number];

/** Always all four resources. */
export type ApiTokenPermissions = Readonly<Record<ApiTokenResource, PermissionLevel>>;

/** What a route can require of a token, in the `resource:level` form of OAuth scopes. */
export type Permission = `${ApiTokenResource}:${'read' | 'write'}`;

/** What each level of each resource lets a token do (the web app shows these; the route table enforces them). */
export const API_TOKEN_RESOURCE_DESCRIPTIONS: Readonly<Record<ApiTokenResource, { label: string; read: string; write: string }>> = {
  articles: { label: 'Articles', read: 'list articles, read the feed, get an article', write: 'also create, update and delete articles' },
  comments: { label: 'Comments', read: "list an article's comments", write: 'also add and delete comments' },
  social: { label: 'Social', read: 'get profiles', write: 'also follow, unfollow, favorite and unfavorite' },
  account: {
    label: 'Account',
    read: 'get the user (GET /api/user), list API tokens and notifications',
    write: 'also update username, bio, image and time zone, mark notifications read',
  },
};

const all = (level: PermissionLevel): ApiTokenPermissions =>
  Object.freeze(Object.fromEntries(API_TOKEN_RESOURCES.map((r) => [r, level])) as Record<ApiTokenResource, PermissionLevel>);

/** Every resource `read`. */
export const READ_ONLY_PERMISSIONS: ApiTokenPermissions = all('read');
/** Every resource `write`: what a token could do before permissions existed, and the API's default. */
export const READ_WRITE_PERMISSIONS: ApiTokenPermissions = all('write');
export const NO_PERMISSIONS: ApiTokenPermissions = all('none');

export const API_TOKEN_PERMISSION_PRESETS = ['read-only', 'read-write'] as const;
export type ApiTokenPermissionPreset = (typeof API_TOKEN_PERMISSION_PRESETS)[number];
export const PERMISSION_PRESETS: Readonly<Record<ApiTokenPermissionPreset, ApiTokenPermissions>> = {
  'read-only': READ_ONLY_PERMISSIONS,
  'read-write': READ_WRITE_PERMISSIONS,
};
/** What the web app's form starts with. (An API request without `permissions` gets READ_WRITE_PERMISSIONS.) */
export const DEFAULT_PERMISSION_PRESET: ApiTokenPermissionPreset = 'read-only';

const RANK: Readonly<Record<PermissionLevel, number>> = { none: 0, read: 1, write: 2 };

export function isApiTokenResource(value: unknown): value is ApiTokenResource {
  return typeof value === 'string' && (API_TOKEN_RESOURCES as readonly string[]).includes(value);
}

export function isPermissionLevel(value: unknown): value is PermissionLevel {
  return typeof value === 'string' && (PERMISSION_LEVELS as readonly string[]).includes(value);
}

/** Splits `articles:write` into its resource and level. */
export function parsePermission(permission: Permission): { resource: ApiTokenResource; level: 'read' | 'write' } {
  const [resource, level] = permission.split(':') as [ApiTokenResource, 'read' | 'write'];
  return { resource, level };
}

/** Whether `permissions` include `permission` (write includes read). */
export function hasPermission(permissions: ApiTokenPermissions, permission: Permission): boolean {
  const { resource, level } = parsePermission(permission);
  return RANK[permissions[resource]] >= RANK[level];
}

/** A request's `permissions` made whole: a resource left out is `none`; no `permissions` at all is write on everything. */
export function completePermissions(partial: Partial<Record<ApiTokenResource, PermissionLevel>> | undefined): ApiTokenPermissions {
  if (partial === undefined) return READ_WRITE_PERMISSIONS;
  return Object.fromEntries(API_TOKEN_RESOURCES.map((r) => [r, partial[r] ?? 'none'])) as Record<ApiTokenResource, PermissionLevel>;
}

/** The preset these permissions equal, if any. */
export function presetOf(permissions: ApiTokenPermissions): ApiTokenPermissionPreset | null {
  for (const preset of API_TOKEN_PERMISSION_PRESETS) {
    if (API_TOKEN_RESOURCES.every((r) => permissions[r] === PERMISSION_PRESETS[preset][r])) return preset;
  }
  return null;
}

/**
 * The short form shown wherever a token is shown: "Read-only", "Read and write", "No access", or
 * the resources that have access, e.g. "articles: write · account: read".
 */
export function formatPermissions(permissions: ApiTokenPermissions): string {
  const preset = presetOf(permissions);
  if (preset === 'read-only') return 'Read-only';
  if (preset === 'read-write') return 'Read and write';
  const granted = API_TOKEN_RESOURCES.filter((r) => permissions[r] !== 'none');
  if (granted.length === 0) return 'No access';
  return granted.map((r) => `${r}: ${permissions[r]}`).join(' · ');
}

/**
 * Problems with a request's `permissions` value, one message per unknown resource or level,
 * naming it. Empty when the value is acceptable.
 */
export function permissionsProblems(value: unknown): string[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return [`must be an object of resource → level, e.g. {"articles": "read"}`];
  }
  const problems: string[] = [];
  for (const [resource, level] of Object.entries(value)) {
    if (!isApiTokenResource(resource)) {
      problems.push(`"${resource}" is not a resource; use ${API_TOKEN_RESOURCES.join(', ')}`);
    } else if (!isPermissionLevel(level)) {
      problems.push(`${resource}: ${JSON.stringify(level)} is not a level; use ${PERMISSION_LEVELS.join(', ')}`);
    }
  }
  return problems;
}

/*
 * Storage: two bits per resource (none 0, read 1, write 2) in contract order, articles lowest.
 * 170 (0b10101010) is write on everything. There are 81 valid values; decoding is a table lookup.
 */
const BITS = 2;

export function encodePermissions(permissions: ApiTokenPermissions): number {
  return API_TOKEN_RESOURCES.reduce((mask, r, i) => mask | (RANK[permissions[r]] << (i * BITS)), 0);
}

const DECODED: ReadonlyArray<ApiTokenPermissions | undefined> = Array.from({ length: 256 }, (_, mask) => {
  const levels = API_TOKEN_RESOURCES.map((_, i) => PERMISSION_LEVELS[(mask >> (i * BITS)) & 3]);
  if (levels.some((l) => l === undefined)) return undefined;
  return Object.freeze(Object.fromEntries(API_TOKEN_RESOURCES.map((r, i) => [r, levels[i]]))) as ApiTokenPermissions;
});

/** The permissions a stored mask stands for (a shared frozen object); throws on a value no encoding produces. */
export function decodePermissions(mask: number): ApiTokenPermissions {
  const decoded = DECODED[mask];
  if (!decoded) throw new RangeError(`${mask} is not an encoded set of permissions`);
  return decoded;
}
