import type { SecurityEventType } from '@conduit/contracts';

export interface SecurityLogFilters {
  tokenId?: string;
  type?: SecurityEventType;
}

/** Query keys of the security log feature, from one factory so invalidation cannot drift. */
export const securityLogKeys = {
  all: ['security-log'] as const,
  list: (filters: SecurityLogFilters) => [...securityLogKeys.all, 'list', filters] as const,
};
