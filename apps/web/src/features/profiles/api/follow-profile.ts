import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { Article, MultipleArticlesResponse, ProfileResponse, SingleArticleResponse } from '@conduit/contracts';
import { apiClient } from '@/lib/api-client';
import { articleKeys } from '@/features/articles/api/keys';
import { profileKeys } from './keys';

/** `POST` (follow) or `DELETE` (unfollow) `/api/profiles/:username/follow`; both are idempotent. */
export function followProfile({ username, follow }: { username: string; follow: boolean }): Promise<ProfileResponse> {
  const path = `/profiles/${encodeURIComponent(username)}/follow`;
  return follow ? apiClient.post<ProfileResponse>(path) : apiClient.delete<ProfileResponse>(path);
}

/** Updates the profile, the author on cached articles, and refreshes feeds (Your Feed changes). */
export function useFollowProfile() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: followProfile,
    onSuccess: ({ profile }) => {
      queryClient.setQueryData(profileKeys.detail(profile.username), { profile });
      const withAuthor = <A extends Pick<Article, 'author'>>(a: A): A =>
        a.author.username === profile.username ? { ...a, author: profile } : a;
      queryClient.setQueriesData<SingleArticleResponse>({ queryKey: articleKeys.details() }, (old) =>
        old ? { article: withAuthor(old.article) } : old,
      );
      queryClient.setQueriesData<MultipleArticlesResponse>({ queryKey: articleKeys.lists() }, (old) =>
        old ? { ...old, articles: old.articles.map(withAuthor) } : old,
      );
      void queryClient.invalidateQueries({ queryKey: articleKeys.lists(), refetchType: 'none' });
    },
  });
}
