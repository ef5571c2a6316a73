import { useState } from 'react';

/**
 * A person's picture (their `image` URL, sent without a referrer) or, when they have none or it
 * fails to load, the first letter of their name. Decorative: the name is always next to it.
 */
export function Avatar({ username, image, size = 'small' }: { username: string; image: string | null; size?: 'small' | 'large' }) {
  const [failed, setFailed] = useState(false);
  const className = `avatar avatar--${size}`;
  if (image && !failed) {
    return <img className={className} src={image} alt="" referrerPolicy="no-referrer" loading="lazy" onError={() => setFailed(true)} />;
  }
  return (
    <span className={`${className} avatar--initial`} aria-hidden="true">
      {username.charAt(0).toUpperCase()}
    </span>
  );
}
