import type { Profile } from '@conduit/contracts';
import { Link } from 'react-router';
import { errorMessage } from '@/lib/api-client';
import { useSession } from '@/lib/session';
import { useSignInFirst } from '@/lib/use-sign-in-first';
import { useFollowProfile } from '../api/follow-profile';

/** "Follow ada" / "Unfollow ada"; sends a signed-out person to sign in; nothing on one's own profile. */
export function FollowButton({ profile }: { profile: Profile }) {
  const session = useSession();
  const follow = useFollowProfile();
  const signInFirst = useSignInFirst();
  if (session.user?.username === profile.username) return null;
  const following = profile.following;
  return (
    <span className="action-with-error">
      <button
        type="button"
        className={`btn btn--small ${following ? 'btn--secondary' : 'btn--outline'}`}
        aria-pressed={following}
        disabled={follow.isPending}
        onClick={() => {
          if (session.status !== 'authenticated') return signInFirst();
          follow.mutate({ username: profile.username, follow: !following });
        }}
      >
        <span aria-hidden="true">{following ? '−' : '+'}</span> {following ? 'Unfollow' : 'Follow'} {profile.username}
      </button>
      {follow.isError ? (
        <span className="inline-error" role="alert">
          {errorMessage(follow.error)}
        </span>
      ) : null}
    </span>
  );
}

/** A link to a profile around the author's name. */
export function ProfileLink({ username, className }: { username: string; className?: string }) {
  return (
    <Link to={`/profile/${encodeURIComponent(username)}`} className={className}>
      {username}
    </Link>
  );
}
