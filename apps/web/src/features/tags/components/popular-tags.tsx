import { Link } from 'react-router';
import { Skeleton } from '@/components/ui/skeleton';
import { usePopularTags } from '../api/get-tags';

/** The sidebar's "Popular Tags": each opens the home page's tab for that tag. */
export function PopularTags({ current }: { current?: string }) {
  const tags = usePopularTags();
  return (
    <section className="sidebar" aria-labelledby="popular-tags">
      <h2 id="popular-tags" className="sidebar__title">
        Popular Tags
      </h2>
      {tags.isPending ? (
        <div aria-hidden="true">
          <Skeleton width="80%" />
        </div>
      ) : tags.isError ? (
        <p className="sidebar__note">The tags could not be loaded.</p>
      ) : tags.data.length === 0 ? (
        <p className="sidebar__note">No tags yet.</p>
      ) : (
        <ul className="tag-list">
          {tags.data.map((tag) => (
            <li key={tag}>
              <Link
                to={`/?tag=${encodeURIComponent(tag)}`}
                className={`tag-pill tag-default${tag === current ? ' tag-pill--current' : ''}`}
                aria-current={tag === current ? 'page' : undefined}
              >
                {tag}
              </Link>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
