/** Query keys of the comments feature. */
export const commentKeys = {
  all: ['comments'] as const,
  list: (slug: string) => [...commentKeys.all, slug] as const,
};
