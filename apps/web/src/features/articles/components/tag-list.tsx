import { Link } from 'react-router';

/** Tag pills; as links (to the home page's tag tab) or as plain labels. */
export function TagList({ tags, links = false, label = 'Tags' }: { tags: string[]; links?: boolean; label?: string }) {
  if (tags.length === 0) return null;
  return (
    <ul className="tag-list" aria-label={label}>
      {tags.map((tag) => (
        <li key={tag}>
          {links ? (
            <Link className="tag-pill tag-default" to={`/?tag=${encodeURIComponent(tag)}`}>
              {tag}
            </Link>
          ) : (
            <span className="tag-pill tag-default tag-outline">{tag}</span>
          )}
        </li>
      ))}
    </ul>
  );
}
