import type { ArticlePreview } from '@conduit/contracts';
import { errorMessage } from '@/lib/api-client';
import { useSession } from '@/lib/session';
import { useSignInFirst } from '@/lib/use-sign-in-first';
import { useFavoriteArticle } from '../api/favorite-article';

/**
 * The favorite toggle with its count. `compact` (in previews) shows a heart and the count, and is
 * named "Favorite article “Title” (3)"; the full form reads "Favorite Article (3)".
 */
export function FavoriteButton({ article, compact = false }: { article: ArticlePreview; compact?: boolean }) {
  const session = useSession();
  const favorite = useFavoriteArticle();
  const signInFirst = useSignInFirst();
  const on = article.favorited;
  const count = article.favoritesCount;
  const verb = on ? 'Unfavorite' : 'Favorite';
  return (
    <span className="action-with-error">
      <button
        type="button"
        className={`btn btn--small favorite ${on ? 'favorite--on' : ''}`}
        aria-pressed={on}
        disabled={favorite.isPending}
        onClick={() => {
          if (session.status !== 'authenticated') return signInFirst();
          favorite.mutate({ slug: article.slug, favorite: !on });
        }}
      >
        <span aria-hidden="true">{on ? '♥' : '♡'}</span>
        {compact ? (
          // Named "Favorite article “Title” (3)", of which the count is what shows.
          <span>
            <span className="visually-hidden">{verb} article “{article.title}” (</span>
            {count}
            <span className="visually-hidden">)</span>
          </span>
        ) : (
          <span>
            {verb} Article <span className="favorite__count">({count})</span>
          </span>
        )}
      </button>
      {favorite.isError ? (
        <span className="inline-error" role="alert">
          {errorMessage(favorite.error)}
        </span>
      ) : null}
    </span>
  );
}
