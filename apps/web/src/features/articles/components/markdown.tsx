import Markdown, { defaultUrlTransform, type Components } from 'react-markdown';

/**
 * An article body, from markdown to React elements (never through innerHTML). Authors write
 * markdown, not HTML: raw HTML in the source is dropped (`skipHtml`), so no `<script>`, `<iframe>`,
 * `<img onerror>` or `style` survives. Links and images keep only http(s), mailto and relative
 * URLs (react-markdown's `defaultUrlTransform` empties `javascript:`, `data:` and `vbscript:`
 * ones). Links leave without a referrer; images load lazily, without a referrer.
 */
export function MarkdownBody({ source }: { source: string }) {
  return (
    <div className="markdown">
      <Markdown skipHtml urlTransform={defaultUrlTransform} components={components}>
        {source}
      </Markdown>
    </div>
  );
}


const components: Components = {
  a: ({ node: _node, href, children, ...rest }) =>
    href ? (
      <a {...rest} href={href} rel="nofollow noopener noreferrer">
        {children}
      </a>
    ) : (
      <span>{children}</span>
    ),
  img: ({ node: _node, src, alt, title }) =>
    src ? <img src={typeof src === 'string' ? src : undefined} alt={alt ?? ''} title={title} loading="lazy" referrerPolicy="no-referrer" /> : null,
  // The page's h1 is the title: headings in the body start one level down.
  h1: ({ node: _node, ...props }) => <h2 {...props} />,
  h2: ({ node: _node, ...props }) => <h3 {...props} />,
  h3: ({ node: _node, ...props }) => <h4 {...props} />,
  h4: ({ node: _node, ...props }) => <h5 {...props} />,
  h5: ({ node: _node, ...props }) => <h6 {...props} />,
};
