/**
 * The stylesheet must parse (an unclosed block silently nests every rule after it) and use
 * only known properties, units and selectors. Part of `pnpm test:web`.
 */
export default {
  rules: {
    'block-no-empty': true,
    'color-no-invalid-hex': true,
    'declaration-block-no-duplicate-properties': [true, { ignore: ['consecutive-duplicates-with-different-values'] }],
    'no-invalid-double-slash-comments': true,
    'property-no-unknown': true,
    'selector-pseudo-class-no-unknown': true,
    'selector-pseudo-element-no-unknown': true,
    'unit-no-unknown': true,
    'string-no-newline': true,
  },
};
