/** Query keys of the API tokens feature, from one factory so invalidation cannot drift. */
export const apiTokenKeys = {
  all: ['api-tokens'] as const,
  list: () => [...apiTokenKeys.all, 'list'] as const,
  inactive: () => [...apiTokenKeys.all, 'inactive'] as const,
  myIp: () => ['my-ip'] as const,
  policy: () => [...apiTokenKeys.all, 'policy'] as const,
};
